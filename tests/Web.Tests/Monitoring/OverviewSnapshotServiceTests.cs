using Dashboard.Web.Components.Shared;
using Dashboard.Data.Database;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Hosting;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Tests.Monitoring;

public sealed class OverviewSnapshotServiceTests
{
    [Fact]
    public async Task NoPageOpen_NeverQueriesStorage()
    {
        var queries = new CountingQueries();
        using var service = CreateService(queries, TimeSpan.FromMilliseconds(200));
        await service.StartAsync(TestContext.Current.CancellationToken);

        await Task.Delay(800, TestContext.Current.CancellationToken);
        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, queries.Calls);
    }

    [Fact]
    public async Task FivePagesOpen_OneQueryFeedsThemAll()
    {
        var queries = new CountingQueries();
        using var service = CreateService(queries, TimeSpan.FromMinutes(10));
        await service.StartAsync(TestContext.Current.CancellationToken);
        var received = new List<OverviewState>();
        var all = new TaskCompletionSource();
        var subscriptions = Enumerable.Range(0, 5).Select(_ => service.Subscribe(state =>
        {
            lock (received)
            {
                received.Add(state);
                if (received.Count == 5)
                {
                    all.TrySetResult();
                }
            }

            return Task.CompletedTask;
        })).ToList();

        // Generous: on a loaded CI machine the thread pool can be slow; the product race this once hid is below.
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, queries.Calls);
        Assert.All(received, s => Assert.Same(received[0].Snapshot, s.Snapshot));
        Assert.Same(received[0].Snapshot, service.Current.Snapshot);
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task PageOpensAfterAPush_GetsTheCurrentStateAtOnceWithoutAQuery()
    {
        var queries = new CountingQueries();
        using var service = CreateService(queries, TimeSpan.FromMinutes(10));
        await service.StartAsync(TestContext.Current.CancellationToken);
        var first = new TaskCompletionSource<OverviewState>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var early = service.Subscribe(state =>
        {
            first.TrySetResult(state);
            return Task.CompletedTask;
        });
        var pushed = await first.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        // The next refresh is ten minutes away: only the state in hand can reach this page.
        var late = new TaskCompletionSource<OverviewState>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = service.Subscribe(state =>
        {
            late.TrySetResult(state);
            return Task.CompletedTask;
        });
        var received = await late.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.Same(pushed.Snapshot, received.Snapshot);
        Assert.Equal(1, queries.Calls);
    }

    [Fact]
    public async Task StorageFailsAfterGoodRead_KeepsLastFiguresAndReportsError()
    {
        var queries = new CountingQueries();
        using var service = CreateService(queries, TimeSpan.FromMilliseconds(200));
        await service.StartAsync(TestContext.Current.CancellationToken);
        var failed = new TaskCompletionSource<OverviewState>();
        using var subscription = service.Subscribe(state =>
        {
            if (state.Error is not null)
            {
                failed.TrySetResult(state);
            }

            queries.FailFromNowOn = true;
            return Task.CompletedTask;
        });

        var state = await failed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await service.StopAsync(TestContext.Current.CancellationToken);

        // Words for the page; the exception's own text is for the log.
        Assert.StartsWith("Reading the live figures failed", state.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("storage down", state.Error, StringComparison.Ordinal);
        Assert.NotNull(state.Snapshot);
        Assert.Equal(12, state.Snapshot.Counts.Enqueued);
    }

    private static OverviewSnapshotService CreateService(IOverviewQueries queries, TimeSpan interval) => new(
        queries,
        new LiveAnalysis(Options.Create(new MonitoringOptions()), new ScalingAdvisor(Options.Create(new ScalingOptions()))),
        Options.Create(new UiOptions { Title = "t", RefreshInterval = interval }),
        TimeProvider.System,
        new ReadFailures(Options.Create(new DatabaseOptions()), NullLogger<ReadFailures>.Instance),
        NullLogger<OverviewSnapshotService>.Instance);

    private sealed class CountingQueries : IOverviewQueries
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public volatile bool FailFromNowOn;

        public OverviewSnapshot Load()
        {
            Interlocked.Increment(ref _calls);
            return FailFromNowOn ? throw new InvalidOperationException("storage down") : Snapshots.Sample(enqueued: 12);
        }
    }
}
