using Dashboard.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Components.Pages.Overview;

/// <summary>
/// One per process (DESIGN.md §4.6): takes an Overview snapshot every refresh interval while at least one page is
/// open, and pushes it to all of them. Ten open tabs cost the database the same as one; none cost nothing.
/// </summary>
internal sealed partial class OverviewSnapshotService(
    IOverviewQueries queries,
    LiveAnalysis analysis,
    IOptions<UiOptions> options,
    TimeProvider time,
    ILogger<OverviewSnapshotService> logger) : BackgroundService, IOverviewSource
{
    private readonly Lock _gate = new();
    private readonly List<Func<OverviewState, Task>> _subscribers = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _onDemand = new(1, 1);
    private OverviewState _current = OverviewState.Loading;

    public OverviewState Current => Volatile.Read(ref _current);

    public IDisposable Subscribe(Func<OverviewState, Task> onChanged)
    {
        lock (_gate)
        {
            _subscribers.Add(onChanged);
            if (_subscribers.Count == 1)
            {
                // The first page after a quiet spell should not wait a whole interval for fresh figures.
                _wake.Release();
            }
        }

        return new Subscription(this, onChanged);
    }

    /// <summary>
    /// The current state, refreshed first if it is older than <paramref name="maxAge"/> — for readers without a page
    /// (a /metrics scrape). Concurrent callers share one refresh.
    /// </summary>
    public async Task<OverviewState> GetFreshAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (IsFresh(maxAge))
        {
            return Current;
        }

        await _onDemand.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(maxAge))
            {
                await RefreshAsync();
            }
        }
        finally
        {
            _onDemand.Release();
        }

        return Current;
    }

    private bool IsFresh(TimeSpan maxAge)
    {
        var state = Current;
        var last = state.ErrorAt ?? state.Snapshot?.TakenAt;
        return last is { } at && time.GetUtcNow() - at < maxAge;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (SubscriberCount() > 0)
            {
                await RefreshAsync();
                await WaitAsync(options.Value.RefreshInterval, stoppingToken);
            }
            else
            {
                await _wake.WaitAsync(stoppingToken);
            }
        }
    }

    private async Task RefreshAsync()
    {
        OverviewState next;
        try
        {
            // The monitoring API is synchronous; keep it off the circuit threads.
            var snapshot = await Task.Run(queries.Load);
            next = new OverviewState(analysis.Analyse(snapshot), null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
            // Keep the last good figures on screen, and say that they are stale and why.
            next = Current with { Error = ex.Message, ErrorAt = time.GetUtcNow() };
        }

        Volatile.Write(ref _current, next);
        Func<OverviewState, Task>[] targets;
        lock (_gate)
        {
            targets = [.. _subscribers];
        }

        foreach (var target in targets)
        {
            try
            {
                await target(next);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                // A circuit that went away between the copy and the call; it unsubscribes when disposed.
                LogSubscriberGone(logger, ex.Message);
            }
        }
    }

    private async Task WaitAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(interval, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        // Drain wake-ups that arrived while we were refreshing anyway.
        while (_wake.CurrentCount > 0)
        {
            await _wake.WaitAsync(CancellationToken.None);
        }
    }

    private int SubscriberCount()
    {
        lock (_gate)
        {
            return _subscribers.Count;
        }
    }

    private void Unsubscribe(Func<OverviewState, Task> onChanged)
    {
        lock (_gate)
        {
            _subscribers.Remove(onChanged);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _onDemand.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking the overview snapshot failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped a closed page: {Reason}")]
    private static partial void LogSubscriberGone(ILogger logger, string reason);

    private sealed class Subscription(OverviewSnapshotService owner, Func<OverviewState, Task> onChanged) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(onChanged);
    }
}
