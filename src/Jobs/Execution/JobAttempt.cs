using Hangfire.Server;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// The 1-based attempt number (and the Hangfire job id) of the job running on the current flow. Hangfire keeps the
/// retry count as a job parameter; this filter hands it to the job without making jobs depend on Hangfire's context
/// types.
/// </summary>
public sealed class JobAttempt : IServerFilter
{
    private static readonly AsyncLocal<int> CurrentAttempt = new();
    private static readonly AsyncLocal<string?> CurrentId = new();

    /// <summary>1 on the first run, 2 on the first retry, and so on; 0 outside a job.</summary>
    public static int Current => CurrentAttempt.Value;

    /// <summary>Hangfire's id of the running job, for logs that operators match against the dashboard; null outside a job.</summary>
    public static string? CurrentJobId => CurrentId.Value;

    public void OnPerforming(PerformingContext context)
    {
        // Set in the performer's synchronous call chain, so the job method invoked right after sees it.
        CurrentAttempt.Value = context.GetJobParameter<int>("RetryCount") + 1;
        CurrentId.Value = context.BackgroundJob.Id;
    }

    public void OnPerformed(PerformedContext context)
    {
        CurrentAttempt.Value = 0;
        CurrentId.Value = null;
    }

    /// <summary>Runs code as the given attempt outside Hangfire (tests, tools); dispose to leave it.</summary>
    internal static IDisposable Enter(int attempt, string? jobId = null)
    {
        var scope = new Scope(CurrentAttempt.Value, CurrentId.Value);
        CurrentAttempt.Value = attempt;
        CurrentId.Value = jobId;
        return scope;
    }

    private sealed class Scope(int previousAttempt, string? previousId) : IDisposable
    {
        public void Dispose()
        {
            CurrentAttempt.Value = previousAttempt;
            CurrentId.Value = previousId;
        }
    }
}
