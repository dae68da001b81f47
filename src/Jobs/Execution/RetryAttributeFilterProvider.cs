using Hangfire;
using Hangfire.Common;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// Hangfire's attribute filter provider without <see cref="AutomaticRetryAttribute"/>. That attribute is a filter in
/// its own right: on a job class or method it would run next to <see cref="RetryFilter"/> and retry a job our policy
/// has let fail (both count in the same RetryCount parameter). <see cref="RetryPolicy"/> reads its Attempts and
/// OnAttemptsExceeded instead; every other filter attribute is provided as before.
/// </summary>
public sealed class RetryAttributeFilterProvider : JobFilterAttributeFilterProvider
{
    protected override IEnumerable<JobFilterAttribute> GetTypeAttributes(Job job) =>
        base.GetTypeAttributes(job).Where(a => a is not AutomaticRetryAttribute);

    protected override IEnumerable<JobFilterAttribute> GetMethodAttributes(Job job) =>
        base.GetMethodAttributes(job).Where(a => a is not AutomaticRetryAttribute);
}
