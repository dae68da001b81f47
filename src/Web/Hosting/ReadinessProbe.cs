using Dashboard.Data.Database;

namespace Dashboard.Web.Hosting;

/// <summary>
/// The process's one answer to <c>/readyz</c>: <see cref="SchemaStatus"/> runs at most once per
/// <see cref="MaxAge"/>, and callers that arrive while it runs wait for that same check. A flood of anonymous probes
/// therefore costs one pooled session and one check a second, not a connection each (which would exhaust
/// <c>max_connections</c> and take the workers down with the probe). The database's error text goes to the log, once
/// per change, never into the response.
/// </summary>
internal sealed partial class ReadinessProbe(SchemaStatus schema, TimeProvider time, ILogger<ReadinessProbe> logger)
{
    internal static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _sync = new();
    private SchemaCheck? _last;
    private long _lastAt;
    private Task<SchemaCheck>? _running;
    private int _checks;

    /// <summary>Checks run since start: the figure that shows callers share them.</summary>
    internal int ChecksRun => Volatile.Read(ref _checks);

    /// <param name="cancellationToken">Ends this caller's wait only; the shared check runs on for the others.</param>
    public Task<SchemaCheck> CurrentAsync(CancellationToken cancellationToken)
    {
        Task<SchemaCheck> running;
        lock (_sync)
        {
            if (_last is { } last && time.GetElapsedTime(_lastAt) < MaxAge)
            {
                return Task.FromResult(last);
            }

            // Task.Run, so the check never completes inline while this lock is held and leaves a finished task here.
            _running ??= Task.Run(RefreshAsync, CancellationToken.None);
            running = _running;
        }

        return running.WaitAsync(cancellationToken);
    }

    private async Task<SchemaCheck> RefreshAsync()
    {
        Interlocked.Increment(ref _checks);
        SchemaCheck result;
        try
        {
            // Bounded by the probe's own connect and command timeouts, not by any one caller.
            result = await schema.CheckAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCheckFailed(logger, ex);
            result = SchemaCheck.Unreachable(ex.GetType().Name);
        }

        SchemaCheck? previous;
        lock (_sync)
        {
            previous = _last;
            _last = result;
            _lastAt = time.GetTimestamp();
            _running = null;
        }

        if (!result.Ready && (previous is null || previous.Ready || previous.Detail != result.Detail))
        {
            LogNotReady(logger, result.Category, result.Detail);
        }
        else if (result.Ready && previous is { Ready: false })
        {
            LogReadyAgain(logger);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready ({Category}): {Detail}")]
    private static partial void LogNotReady(ILogger logger, string category, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready again: PostgreSQL answers and the schema is up to date")]
    private static partial void LogReadyAgain(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The readiness check failed unexpectedly")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
