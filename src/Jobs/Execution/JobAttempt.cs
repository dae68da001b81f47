using Hangfire.Server;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// The 1-based attempt number of the job running on the current flow. Hangfire keeps the retry count as a job
/// parameter; this filter hands it to the job without making jobs depend on Hangfire's context types.
/// </summary>
public sealed class JobAttempt : IServerFilter
{
    private static readonly AsyncLocal<int> CurrentAttempt = new();

    /// <summary>1 on the first run, 2 on the first retry, and so on; 0 outside a job.</summary>
    public static int Current => CurrentAttempt.Value;

    public void OnPerforming(PerformingContext context) =>
        // Set in the performer's synchronous call chain, so the job method invoked right after sees it.
        CurrentAttempt.Value = context.GetJobParameter<int>("RetryCount") + 1;

    public void OnPerformed(PerformedContext context) => CurrentAttempt.Value = 0;

    /// <summary>Runs code as the given attempt outside Hangfire (tests, tools); dispose to leave it.</summary>
    internal static IDisposable Enter(int attempt)
    {
        var previous = CurrentAttempt.Value;
        CurrentAttempt.Value = attempt;
        return new Scope(previous);
    }

    private sealed class Scope(int previous) : IDisposable
    {
        public void Dispose() => CurrentAttempt.Value = previous;
    }
}
