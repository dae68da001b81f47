using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.JobMetrics;

namespace Dashboard.Web.Tests.Pages.JobMetrics;

public sealed class DurationPercentilesTests
{
    /// <summary>The histogram the servers would record for these durations.</summary>
    private static long[] Histogram(IEnumerable<double> durations)
    {
        var buckets = new long[JobMetricBuckets.Count];
        foreach (var duration in durations)
        {
            buckets[JobMetricBuckets.IndexOf(duration)]++;
        }

        return buckets;
    }

    [Fact]
    public void Estimate_UniformOneToThousandMs_MatchesTheTruePercentiles()
    {
        // Uniform durations are what interpolation within a bucket assumes, so the estimate is exact here.
        var histogram = Histogram(Enumerable.Range(1, 1000).Select(i => (double)i));

        Assert.Equal(500, DurationPercentiles.Estimate(histogram, 1000, 0.50)!.Value, 6);
        Assert.Equal(950, DurationPercentiles.Estimate(histogram, 1000, 0.95)!.Value, 6);
        Assert.Equal(990, DurationPercentiles.Estimate(histogram, 1000, 0.99)!.Value, 6);
        Assert.Equal(1000, DurationPercentiles.Estimate(histogram, 1000, 1.0)!.Value, 6);
    }

    [Fact]
    public void Estimate_AllInOneBucket_InterpolatesBetweenItsBounds()
    {
        // 100 executions between 10 and 25 ms.
        var histogram = new long[JobMetricBuckets.Count];
        histogram[2] = 100;

        Assert.Equal(17.5, DurationPercentiles.Estimate(histogram, 24, 0.50)!.Value, 6);
        Assert.Equal(24, DurationPercentiles.Estimate(histogram, 24, 0.99)!.Value, 6);
    }

    [Fact]
    public void Estimate_OverflowBucket_EndsAtTheMaximum()
    {
        var histogram = new long[JobMetricBuckets.Count];
        histogram[^1] = 10;

        // Above 300 s, up to the observed maximum of 600 s.
        Assert.Equal(450_000, DurationPercentiles.Estimate(histogram, 600_000, 0.50)!.Value, 6);
        Assert.Equal(594_000, DurationPercentiles.Estimate(histogram, 600_000, 0.98)!.Value, 6);
    }

    [Fact]
    public void Estimate_SkewedDistribution_TailPercentilesFromTheSlowBuckets()
    {
        // 90 fast (1–5 ms), 9 around 2 s, 1 at 40 s.
        var histogram = Histogram([.. Enumerable.Repeat(3.0, 90), .. Enumerable.Repeat(2_000.0, 9), 40_000]);

        var p50 = DurationPercentiles.Estimate(histogram, 40_000, 0.50)!.Value;
        var p95 = DurationPercentiles.Estimate(histogram, 40_000, 0.95)!.Value;
        var p99 = DurationPercentiles.Estimate(histogram, 40_000, 0.99)!.Value;

        Assert.InRange(p50, 0, 5);
        Assert.Equal(1_000 + (1_500 * 5.0 / 9), p95, 6);
        Assert.Equal(2_500, p99, 6);
    }

    [Fact]
    public void Estimate_EmptyHistogram_Null()
    {
        Assert.Null(DurationPercentiles.Estimate([], 0, 0.5));
        Assert.Null(DurationPercentiles.Estimate(new long[JobMetricBuckets.Count], 0, 0.5));
    }

    [Fact]
    public void Estimate_QuantileOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DurationPercentiles.Estimate([1], 1, 1.5));

    [Fact]
    public void Add_DifferentLengths_SumsBucketByBucket() =>
        Assert.Equal([2L, 4, 3], DurationPercentiles.Add([1, 2], [1, 2, 3]));
}
