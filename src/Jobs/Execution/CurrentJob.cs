using Hangfire.Server;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// The Hangfire id of the job running on the current flow. Jobs that record who did something (the send-email
/// claim) read it here instead of depending on Hangfire's context types, as with <see cref="JobAttempt"/>.
/// </summary>
public sealed class CurrentJob : IServerFilter
{
    private static readonly AsyncLocal<string?> CurrentId = new();

    /// <summary>The running job's id; null outside a job.</summary>
    public static string? Id => CurrentId.Value;

    public void OnPerforming(PerformingContext context) =>
        // Set in the performer's synchronous call chain, so the job method invoked right after sees it.
        CurrentId.Value = context.BackgroundJob.Id;

    public void OnPerformed(PerformedContext context) => CurrentId.Value = null;

    /// <summary>Runs code as the given job outside Hangfire (tests, tools); dispose to leave it.</summary>
    internal static IDisposable Enter(string? id)
    {
        var previous = CurrentId.Value;
        CurrentId.Value = id;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => CurrentId.Value = previous;
    }
}
