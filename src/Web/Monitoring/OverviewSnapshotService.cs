using Dashboard.Web.Components.Shared;
using Dashboard.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Monitoring;

/// <summary>
/// One per process (DESIGN.md §4.6): takes an Overview snapshot every refresh interval while at least one page is
/// open, and pushes it to all of them. Ten open tabs cost the database the same as one; none cost nothing.
/// </summary>
internal sealed partial class OverviewSnapshotService(
    IOverviewQueries queries,
    LiveAnalysis analysis,
    IOptions<UiOptions> options,
    TimeProvider time,
    ReadFailures failures,
    ILogger<OverviewSnapshotService> logger) : BackgroundService, IOverviewSource
{
    private readonly PageSubscribers<OverviewState> _subscribers = new(logger);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _onDemand = new(1, 1);
    private OverviewState _current = OverviewState.Loading;

    public OverviewState Current => Volatile.Read(ref _current);

    public IDisposable Subscribe(Func<OverviewState, Task> onChanged) => _subscribers.AddWithCurrent(
        onChanged,
        () => Current == OverviewState.Loading ? null : Current,
        count =>
        {
            if (count == 1)
            {
                // The first page after a quiet spell should not wait a whole interval for fresh figures.
                _wake.Release();
            }
        });

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
            if (_subscribers.Count > 0)
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
            // Keep the last good figures on screen, and say that they are stale and why (in words fit for a page:
            // the exception is logged by ReadFailures).
            var failure = failures.Describe(ex, "Reading the live figures", "They are read again every few seconds.");
            next = Current with { Error = failure.Message, ErrorAt = time.GetUtcNow() };
        }

        Volatile.Write(ref _current, next);
        await _subscribers.PublishAsync(next);
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

    public override void Dispose()
    {
        _wake.Dispose();
        _onDemand.Dispose();
        base.Dispose();
    }
}
