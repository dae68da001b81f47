using System.Diagnostics;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Monitoring;

namespace Dashboard.IntegrationTests.Web.Monitoring;

public sealed class OverviewQueriesTests(MonitoringData data) : IClassFixture<MonitoringData>
{
    private readonly OverviewSnapshot _snapshot = data.CreateQueries(new SettableClock(MonitoringData.Now)).Load();

    [Fact]
    public void Load_Counts_ExactPerStateAndFromCounters()
    {
        var counts = _snapshot.Counts;

        Assert.Equal(150, counts.Enqueued);
        Assert.Equal(3, counts.Processing);
        Assert.Equal(10, counts.Scheduled);
        Assert.Equal(3, counts.Retries);
        Assert.Equal(20_000, counts.Failed);
        Assert.Equal(2, counts.Awaiting);
        Assert.Equal(200_000, counts.Succeeded);
        Assert.Equal(7, counts.Deleted);
        Assert.Equal(3, counts.Recurring);
    }

    [Fact]
    public void Load_Queues_DepthFetchedAndOldestWaiting()
    {
        var critical = Assert.Single(_snapshot.Queues, q => q.Name == "critical");
        var @default = Assert.Single(_snapshot.Queues, q => q.Name == "default");

        Assert.Equal((50L, 0L), (critical.Length, critical.Fetched));
        Assert.Equal((100L, 3L), (@default.Length, @default.Fetched));
        Assert.Equal(MonitoringData.Now.AddMinutes(-1), critical.OldestEnqueuedAt);
        Assert.Equal(MonitoringData.Now.AddMinutes(-10), @default.OldestEnqueuedAt);
        Assert.True(@default.HasListeners);
        // The late server listens to "low": listed although empty.
        var low = Assert.Single(_snapshot.Queues, q => q.Name == "low");
        Assert.Equal((0L, 0L, true), (low.Length, low.Fetched, low.HasListeners));
        // 10 executions in the 5-minute trend window.
        Assert.Equal(2.0, @default.CompletedPerMinute, 3);
    }

    [Fact]
    public void Load_Servers_HealthFromEitherHeartbeatWithVitals()
    {
        var byName = _snapshot.Servers.ToDictionary(s => s.Name);

        Assert.Equal(["late:5:e", "live:1:a", "stale:2:b", "stopped:3:c"], byName.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ServerHealth.Healthy, byName["live:1:a"].Health);
        Assert.Equal(ServerHealth.Late, byName["late:5:e"].Health);
        Assert.Equal(ServerHealth.Stale, byName["stale:2:b"].Health);
        Assert.Equal(ServerHealth.Stopped, byName["stopped:3:c"].Health);

        var live = byName["live:1:a"];
        Assert.Equal(20, live.WorkerCount);
        Assert.Equal(["critical", "default"], live.Queues);
        Assert.Equal(MonitoringData.Now.AddSeconds(-1), live.Heartbeat);
        Assert.Equal(new ServerVitals("box-1", 101, 209_715_200, 37.5, 2, 5_000, 12, null), live.Vitals);
        Assert.Null(byName["late:5:e"].Vitals);
        Assert.Equal(["default"], byName["stale:2:b"].Queues);
        Assert.Equal(24, _snapshot.TotalWorkers);
    }

    [Fact]
    public void Load_Running_EachJobWithItsServer()
    {
        Assert.Equal(
            [("220151", "live:1:a"), ("220152", "live:1:a"), ("220153", "stale:2:b")],
            _snapshot.Running.Select(r => (r.JobId, r.ServerId)));
        Assert.All(_snapshot.Running, r => Assert.Equal("DiagnosticsJob", r.JobType));
    }

    [Fact]
    public void Load_Throughput_MinuteRowsInsideTheRollupWindowHourRowsBeforeNoDoubleCount()
    {
        var hour = _snapshot.Throughput.LastHourByMinute;
        Assert.Equal(60, hour.Count);
        Assert.Equal(MonitoringData.Now.AddMinutes(-59), hour[0].Start);
        Assert.Equal(new ThroughputPoint(MonitoringData.Now.AddMinutes(-1), 9, 1), hour[^2]);
        Assert.Equal(new ThroughputPoint(MonitoringData.Now.AddMinutes(-30), 5, 0), hour[29]);
        Assert.Equal((14L, 1L), (hour.Sum(p => p.Succeeded), hour.Sum(p => p.Failed)));

        var day = _snapshot.Throughput.LastDayByHour.Where(p => p.Total > 0).ToList();
        Assert.Equal(
            [
                new ThroughputPoint(new DateTimeOffset(2026, 6, 15, 8, 0, 0, TimeSpan.Zero), 90, 10),
                new ThroughputPoint(new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero), 5, 2),
                new ThroughputPoint(new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero), 14, 1),
            ],
            day);

        var week = _snapshot.Throughput.LastWeekByDay;
        Assert.Equal(7, week.Count);
        Assert.Equal(new ThroughputPoint(new DateTimeOffset(2026, 6, 12, 0, 0, 0, TimeSpan.Zero), 1_000, 0), week[3]);
        Assert.Equal(new ThroughputPoint(new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero), 109, 13), week[6]);
    }

    [Fact]
    public async Task Load_AtThisVolume_StaysQuickAndDoesNotGrowWithTheJobTable()
    {
        // Not a pass/fail timing (bench/ measures that): a record of the cost at 220,000 jobs, and a check that the
        // snapshot never reads the job table's big states (the plan would show it).
        var queries = data.CreateQueries(new SettableClock(MonitoringData.Now));
        queries.Load();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            queries.Load();
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"Overview snapshot at 220,165 jobs: {watch.Elapsed.TotalMilliseconds / 5:0.0} ms per load");
        var plan = await Sql.ScalarAsync<string>(data.ConnectionString,
            "EXPLAIN (FORMAT TEXT) SELECT statename, count(*) FROM hangfire.job WHERE statename = ANY('{Enqueued,Scheduled,Processing,Failed,Awaiting}') GROUP BY statename");
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }
}
