using Dashboard.Jobs.Hosting;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Execution;

/// <summary>Applies <c>Dashboard:Hangfire:JobExpiration</c> to finished jobs (Hangfire's default is one day).</summary>
public sealed class JobExpirationFilter(IOptions<HangfireOptions> options) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction) =>
        context.JobExpirationTimeout = options.Value.JobExpiration;

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        // Nothing to undo: the timeout only matters for the state being applied.
    }
}
