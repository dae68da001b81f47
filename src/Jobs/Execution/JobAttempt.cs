using Hangfire.Server;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// The 1-based attempt number of the job running on the current flow. Hangfire keeps the retry count as a job
/// parameter; this filter hands it to the job without making jobs depend on Hangfire's context types. It is read
/// only when a job asks, so jobs that do not care cost no extra storage read.
/// </summary>
public sealed class JobAttempt : IServerFilter
{
    private static readonly AsyncLocal<Func<int>?> CurrentAttempt = new();

    /// <summary>1 on the first run, 2 on the first retry, and so on; 0 outside a job.</summary>
    public static int Current => CurrentAttempt.Value?.Invoke() ?? 0;

    public void OnPerforming(PerformingContext context)
    {
        int? cached = null;
        // Set in the performer's synchronous call chain, so the job method invoked right after sees it.
        CurrentAttempt.Value = () => cached ??= context.GetJobParameter<int>(RetryFilter.RetryCountParameter, allowStale: true) + 1;
    }

    public void OnPerformed(PerformedContext context) => CurrentAttempt.Value = null;

    /// <summary>Runs code as the given attempt outside Hangfire (tests, tools); dispose to leave it.</summary>
    internal static IDisposable Enter(int attempt)
    {
        var previous = CurrentAttempt.Value;
        CurrentAttempt.Value = () => attempt;
        return new Scope(previous);
    }

    private sealed class Scope(Func<int>? previous) : IDisposable
    {
        public void Dispose() => CurrentAttempt.Value = previous;
    }
}
