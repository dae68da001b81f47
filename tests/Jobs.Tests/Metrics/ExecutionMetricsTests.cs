using Dashboard.Data.Entities;
using Dashboard.Jobs.Metrics;

namespace Dashboard.Jobs.Tests.Metrics;

public sealed class ExecutionMetricsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void Finished_SameMinuteTypeQueue_AggregatesIntoOneSample()
    {
        var metrics = new ExecutionMetrics(new FixedTime(Noon));
        metrics.Started();
        metrics.Started();

        metrics.Finished("send-email", "default", 12, failed: false);
        metrics.Finished("send-email", "default", 700, failed: true);

        var sample = Assert.Single(metrics.Drain());
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero), sample.Key.Minute);
        Assert.Equal(2, sample.Executions);
        Assert.Equal(1, sample.Failures);
        Assert.Equal(712, sample.DurationSumMs);
        Assert.Equal(700, sample.DurationMaxMs);
        Assert.Equal(1, sample.Histogram[JobMetricBuckets.IndexOf(12)]);
        Assert.Equal(1, sample.Histogram[JobMetricBuckets.IndexOf(700)]);
        Assert.Equal(0, metrics.BusyWorkers);
    }

    [Fact]
    public void Drain_TakesEverythingOnce()
    {
        var metrics = new ExecutionMetrics(new FixedTime(Noon));
        metrics.Started();
        metrics.Finished("a", "low", 1, false);

        Assert.Single(metrics.Drain());
        Assert.Empty(metrics.Drain());
        Assert.Equal((1L, 0L, 1.0), metrics.Totals());
    }

    [Fact]
    public void Restore_AfterFailedFlush_MergesWithNewerFigures()
    {
        var metrics = new ExecutionMetrics(new FixedTime(Noon));
        metrics.Started();
        metrics.Finished("a", "low", 3, false);
        var drained = metrics.Drain();
        metrics.Started();
        metrics.Finished("a", "low", 5, true);

        metrics.Restore(drained);

        var merged = Assert.Single(metrics.Drain());
        Assert.Equal(2, merged.Executions);
        Assert.Equal(1, merged.Failures);
        Assert.Equal(8, merged.DurationSumMs);
        Assert.Equal(2, merged.Histogram.Sum());
    }

    [Theory]
    [InlineData(0.4, 0)]
    [InlineData(5, 0)]
    [InlineData(5.1, 1)]
    [InlineData(1_000, 7)]
    [InlineData(400_000, 14)]
    public void IndexOf_Duration_FindsItsBucket(double ms, int expected)
    {
        Assert.Equal(expected, JobMetricBuckets.IndexOf(ms));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
