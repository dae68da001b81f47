using Dashboard.Web.Monitoring;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Tests.Monitoring;

public sealed class LiveAnalysisTests
{
    private readonly LiveAnalysis _analysis = new(
        Options.Create(new MonitoringOptions { TrendWindow = TimeSpan.FromMinutes(5) }),
        new ScalingAdvisor(Options.Create(new ScalingOptions())));

    [Fact]
    public void Analyse_QueueGrowingFasterThanItDrains_FlagsGrowthAndNoDrainTime()
    {
        _analysis.Analyse(Snapshot(Snapshots.Now, Queue("default", 100, completedPerMinute: 10)));

        var later = _analysis.Analyse(Snapshot(Snapshots.Now.AddMinutes(2), Queue("default", 300, completedPerMinute: 10)));

        var queue = Assert.Single(later.Queues);
        Assert.Equal(QueueTrend.Growing, queue.Trend);
        Assert.Equal([100L, 300L], queue.DepthTrend);
        // 200 more in 2 minutes while 10/min were done: 110 arriving per minute.
        Assert.Equal(110, queue.ArrivalPerMinute!.Value, 3);
        Assert.Null(queue.DrainEstimate);
        Assert.Contains(later.Attention, a => a.Level == AttentionLevel.Warning && a.Message.Contains("Queue default is growing: 100 → 300", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyse_QueueShrinking_EstimatesDrainTimeFromNetRate()
    {
        _analysis.Analyse(Snapshot(Snapshots.Now, Queue("default", 1_000, completedPerMinute: 200)));

        var later = _analysis.Analyse(Snapshot(Snapshots.Now.AddMinutes(1), Queue("default", 800, completedPerMinute: 200)));

        var queue = Assert.Single(later.Queues);
        Assert.Equal(QueueTrend.Shrinking, queue.Trend);
        // 200 done per minute and the depth fell by 200: nothing arriving, 800 left at 200/min.
        Assert.Equal(0, queue.ArrivalPerMinute!.Value, 3);
        Assert.Equal(TimeSpan.FromMinutes(4), queue.DrainEstimate);
    }

    [Fact]
    public void Analyse_SamplesOlderThanTheWindow_AreForgotten()
    {
        _analysis.Analyse(Snapshot(Snapshots.Now, Queue("default", 5_000)));

        var later = _analysis.Analyse(Snapshot(Snapshots.Now.AddMinutes(30), Queue("default", 10)));

        Assert.Equal([10L], Assert.Single(later.Queues).DepthTrend);
    }

    [Fact]
    public void Analyse_StaleServerHoldingJobs_RaisesWarningNamingTheJobs()
    {
        var stale = Snapshots.Server("dead:1:x", workers: 5, heartbeatAge: TimeSpan.FromMinutes(3)) with { Health = ServerHealth.Stale };
        var alive = Snapshots.Server("live:2:y", workers: 5);
        var snapshot = new OverviewSnapshot(Snapshots.Now, Counts(enqueued: 0, failed: 0), [stale, alive], [])
        {
            Running = [new RunningJob("7", "SlowJob", "dead:1:x", "w", Snapshots.Now.AddMinutes(-4))],
        };

        var analysed = _analysis.Analyse(snapshot);

        var item = Assert.Single(analysed.Attention);
        Assert.Equal(AttentionLevel.Warning, item.Level);
        Assert.Equal("Server dead:1:x is stale: no heartbeat for 3 min; it holds 1 running job(s) that can be requeued.", item.Message);
        Assert.Equal("/workers", item.Link);
    }

    [Fact]
    public void Analyse_WaitingJobsInAQueueNoLiveServerReads_IsAnError()
    {
        var snapshot = new OverviewSnapshot(Snapshots.Now, Counts(enqueued: 4, failed: 0), [Snapshots.Server("a:1:x", 5)],
            [Queue("reports", 4) with { HasListeners = false }]);

        var analysed = _analysis.Analyse(snapshot);

        var item = Assert.Single(analysed.Attention);
        Assert.Equal(AttentionLevel.Error, item.Level);
        Assert.Contains("reports has 4 waiting job(s) but no live server", item.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyse_NoServersAtAllWithWork_IsTheFirstError()
    {
        var snapshot = new OverviewSnapshot(Snapshots.Now, Counts(enqueued: 3, failed: 2), [], [Queue("default", 3)]);

        var analysed = _analysis.Analyse(snapshot);

        Assert.Equal(AttentionLevel.Error, analysed.Attention[0].Level);
        Assert.StartsWith("No live server: 3 enqueued jobs are waiting", analysed.Attention[0].Message, StringComparison.Ordinal);
        Assert.Contains(analysed.Attention, a => a.Level == AttentionLevel.Info && a.Message.StartsWith("2 job(s) in Failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 10, true)]   // no failures before, 10 % now
    [InlineData(1, 10, true)]   // 1 % before, 10 % now
    [InlineData(6, 10, false)]  // 6 % before, 10 % now: high but not rising
    [InlineData(0, 2, false)]   // rising but under the 5 % alert level
    public void Analyse_FailureRate_FlaggedOnlyWhenHighAndRising(int earlierFailedPerHundred, int recentFailedPerHundred, bool flagged)
    {
        var minutes = Enumerable.Range(0, 60).Select(i =>
        {
            var failedPerMinute = i < 45 ? earlierFailedPerHundred : recentFailedPerHundred;
            return new ThroughputPoint(Snapshots.Now.AddMinutes(i - 60), 100 - failedPerMinute, failedPerMinute);
        }).ToList();
        var snapshot = new OverviewSnapshot(Snapshots.Now, Counts(0, 0), [Snapshots.Server("a:1:x", 5)], [])
        {
            Throughput = new ThroughputHistory(minutes, [], []),
        };

        var analysed = _analysis.Analyse(snapshot);

        Assert.Equal(flagged, analysed.Attention.Any(a => a.Message.StartsWith("Failure rate is rising", StringComparison.Ordinal)));
    }

    [Fact]
    public void Analyse_AllWell_NoAttentionItems()
    {
        var analysed = _analysis.Analyse(new OverviewSnapshot(Snapshots.Now, Counts(0, 0), [Snapshots.Server("a:1:x", 5)], [Queue("default", 0)]));

        Assert.Empty(analysed.Attention);
    }

    private static QueueSummary Queue(string name, long waiting, double completedPerMinute = 0) =>
        new(name, waiting, 0) { CompletedPerMinute = completedPerMinute };

    private static OverviewSnapshot Snapshot(DateTimeOffset at, params QueueSummary[] queues) =>
        new(at, Counts(queues.Sum(q => q.Length), 0), [Snapshots.Server("a:1:x", 5)], queues);

    private static JobCounts Counts(long enqueued, long failed) => new(enqueued, 0, 0, 0, failed, 0, 0, 0);
}
