using Dashboard.Data.Entities;

namespace Dashboard.Web.Components.Pages.JobMetrics;

/// <summary>
/// Duration percentiles estimated from a summed histogram (bounds in <see cref="JobMetricBuckets"/>). Within a bucket
/// the durations are assumed evenly spread, so the estimate is interpolated between the bucket's bounds; the first
/// bucket starts at 0 and the open-ended last one ends at the largest duration seen. No estimate exceeds that maximum.
/// </summary>
public static class DurationPercentiles
{
    /// <summary>The <paramref name="quantile"/> (0–1) in milliseconds, or null when the histogram is empty.</summary>
    public static double? Estimate(IReadOnlyList<long> histogram, double maxMs, double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        var total = histogram.Sum();
        if (total <= 0)
        {
            return null;
        }

        var bounds = JobMetricBuckets.UpperBoundsMs;
        var rank = quantile * total;
        var before = 0L;
        for (var i = 0; i < histogram.Count; i++)
        {
            var count = histogram[i];
            if (count <= 0 || before + count < rank)
            {
                before += count;
                continue;
            }

            var lower = i == 0 ? 0 : bounds[Math.Min(i, bounds.Count) - 1];
            var upper = i < bounds.Count ? bounds[i] : Math.Max(maxMs, lower);
            var value = lower + ((upper - lower) * (rank - before) / count);
            return Math.Min(value, maxMs > 0 ? maxMs : value);
        }

        return maxMs;
    }

    /// <summary>Adds <paramref name="other"/> into <paramref name="sum"/> bucket by bucket (arrays may differ in length).</summary>
    public static long[] Add(long[] sum, IReadOnlyList<long> other)
    {
        if (other.Count > sum.Length)
        {
            Array.Resize(ref sum, other.Count);
        }

        for (var i = 0; i < other.Count; i++)
        {
            sum[i] += other[i];
        }

        return sum;
    }
}
