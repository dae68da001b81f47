using Dashboard.Web.Monitoring;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Tests.Monitoring;

public sealed class ScalingAdvisorTests
{
    private readonly ScalingAdvisor _advisor = new(Options.Create(new ScalingOptions
    {
        MinReplicas = 1,
        MaxReplicas = 8,
        TargetDrainTime = TimeSpan.FromMinutes(5),
        TargetLoad = 0.7,
        HighWatermark = 0.85,
        LowWatermark = 0.4,
        ScaleDownAfter = TimeSpan.FromMinutes(5),
    }));

    [Fact]
    public void Advise_BacklogBeyondCapacity_ScalesUpAtOnceToTheSizedCount()
    {
        // 2 replicas x 10 workers, all busy, completing 200/min together: 100/min each at full load.
        // Demand: 150/min arriving + 3,000 waiting over 5 min = 750/min -> 750 / (100 x 0.7) = 10.7 -> 11, capped at 8.
        var advice = _advisor.Advise(Snapshot(Snapshots.Now, replicas: 2, processing: 20, waiting: 3_000, completed: 200, arrival: 150));

        Assert.Equal(2, advice.CurrentReplicas);
        Assert.Equal(8, advice.RecommendedReplicas);
        Assert.Equal(3.75, advice.Load!.Value, 3);
        Assert.Contains("Above the 85% high watermark: scale to 8.", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Advise_LoadBetweenWatermarks_Holds()
    {
        // 2 replicas, 60% busy, 120/min done and arriving, nothing waiting: 100/min each at full load, load 0.6.
        var advice = _advisor.Advise(Snapshot(Snapshots.Now, replicas: 2, processing: 12, waiting: 0, completed: 120, arrival: 120));

        Assert.Equal(2, advice.RecommendedReplicas);
        Assert.Equal(0.6, advice.Load!.Value, 3);
        Assert.EndsWith("Between the watermarks: keep 2.", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Advise_LowLoad_ScalesDownOnlyAfterItLasts()
    {
        // 4 replicas, 10% busy, 40/min: 100/min each at full load, load 0.1.
        var first = _advisor.Advise(Snapshot(Snapshots.Now, replicas: 4, processing: 4, waiting: 0, completed: 40, arrival: 40));
        var stillEarly = _advisor.Advise(Snapshot(Snapshots.Now.AddMinutes(4), replicas: 4, processing: 4, waiting: 0, completed: 40, arrival: 40));
        var later = _advisor.Advise(Snapshot(Snapshots.Now.AddMinutes(5), replicas: 4, processing: 4, waiting: 0, completed: 40, arrival: 40));

        Assert.Equal(4, first.RecommendedReplicas);
        Assert.Equal(4, stillEarly.RecommendedReplicas);
        Assert.Contains("scaling down after 5 min", stillEarly.Reason, StringComparison.Ordinal);
        // 40/min needs 40 / (100 x 0.7) = 0.57 -> 1 replica.
        Assert.Equal(1, later.RecommendedReplicas);
    }

    [Fact]
    public void Advise_LullInterruptedByLoad_RestartsTheScaleDownClock()
    {
        _advisor.Advise(Snapshot(Snapshots.Now, replicas: 4, processing: 4, waiting: 0, completed: 40, arrival: 40));
        _advisor.Advise(Snapshot(Snapshots.Now.AddMinutes(3), replicas: 4, processing: 36, waiting: 0, completed: 360, arrival: 500));

        var advice = _advisor.Advise(Snapshot(Snapshots.Now.AddMinutes(6), replicas: 4, processing: 4, waiting: 0, completed: 40, arrival: 40));

        Assert.Equal(4, advice.RecommendedReplicas);
    }

    [Fact]
    public void Advise_AllBusyNothingFinished_AddsOneReplica()
    {
        var advice = _advisor.Advise(Snapshot(Snapshots.Now, replicas: 3, processing: 30, waiting: 50, completed: 0, arrival: 0));

        Assert.Equal(4, advice.RecommendedReplicas);
        Assert.Null(advice.Load);
    }

    [Fact]
    public void Advise_NoLiveWorkerWithBacklog_RecommendsAtLeastOne()
    {
        var advice = _advisor.Advise(Snapshot(Snapshots.Now, replicas: 0, processing: 0, waiting: 10, completed: 0, arrival: 0));

        Assert.Equal((0, 1), (advice.CurrentReplicas, advice.RecommendedReplicas));
        Assert.StartsWith("No live worker while 10 job(s) wait", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Advise_StaleServers_AreNotCountedAsReplicas()
    {
        var snapshot = Snapshot(Snapshots.Now, replicas: 2, processing: 12, waiting: 0, completed: 120, arrival: 120);
        snapshot = snapshot with { Servers = [.. snapshot.Servers, Snapshots.Server("dead:9:z", 10) with { Health = ServerHealth.Stale }] };

        Assert.Equal(2, _advisor.Advise(snapshot).CurrentReplicas);
    }

    private static OverviewSnapshot Snapshot(DateTimeOffset at, int replicas, long processing, long waiting, double completed, double arrival) =>
        new(at,
            new JobCounts(waiting, 0, processing, 0, 0, 0, 0, 0),
            [.. Enumerable.Range(0, replicas).Select(i => Snapshots.Server($"w{i}:1:x", workers: 10))],
            [new QueueSummary("default", waiting, processing) { CompletedPerMinute = completed, ArrivalPerMinute = arrival }]);
}
