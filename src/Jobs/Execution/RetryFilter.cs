using System.Globalization;
using Hangfire.Common;
using Hangfire.States;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// Replaces Hangfire's AutomaticRetry: a failed attempt becomes a scheduled retry after 2^attempt seconds (capped,
/// with jitter) until the job's attempts are used up; then, or at once for a non-retryable error, the job stays in
/// Failed with its full exception. The failed attempt itself stays in the job's history either way.
/// </summary>
public sealed class RetryFilter(RetryPolicy policy) : JobFilterAttribute, IElectStateFilter
{
    /// <summary>Job parameter holding the number of retries so far (Hangfire's own name, so its UI shows it).</summary>
    public const string RetryCountParameter = "RetryCount";

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState failed)
        {
            return;
        }

        var retriesSoFar = context.GetJobParameter<int>(RetryCountParameter, allowStale: true);
        var attempt = retriesSoFar + 1;
        var attempts = policy.AttemptsFor(context.BackgroundJob.Job?.Type);

        if (RetryPolicy.IsNonRetryable(failed.Exception))
        {
            failed.Reason = $"Not retried: {failed.Exception.Message}";
            return;
        }

        if (attempt >= attempts)
        {
            failed.Reason = string.Create(CultureInfo.InvariantCulture, $"Failed after {attempt} attempt(s): {failed.Exception.Message}");
            return;
        }

        var delay = policy.DelayAfter(attempt, Random.Shared.NextDouble());
        context.SetJobParameter(RetryCountParameter, attempt);
        context.CandidateState = new ScheduledState(delay)
        {
            Reason = string.Create(
                CultureInfo.InvariantCulture,
                $"Retry {attempt} of {attempts - 1} in {delay.TotalSeconds:0.#} s after {failed.Exception.GetType().Name}: {failed.Exception.Message}"),
        };
    }
}
