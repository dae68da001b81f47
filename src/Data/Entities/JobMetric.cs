namespace Dashboard.Data.Entities;

/// <summary>
/// Executions of one job type in one queue during one time bucket (a minute in <c>job_metrics_minute</c>, an hour
/// in <c>job_metrics_hour</c>). Servers add to these rows in batches; nothing is written per job.
/// </summary>
public class JobMetric
{
    public DateTimeOffset BucketStart { get; set; }

    public string JobType { get; set; } = "";

    public string Queue { get; set; } = "";

    public long Executions { get; set; }

    public long Failures { get; set; }

    public double DurationSumMs { get; set; }

    public double DurationMaxMs { get; set; }

    /// <summary>Counts per duration bucket; the upper bounds are <see cref="JobMetricBuckets.UpperBoundsMs"/>, plus one for "above".</summary>
    public long[] Histogram { get; set; } = [];
}

public sealed class JobMetricMinute : JobMetric;

public sealed class JobMetricHour : JobMetric;

public static class JobMetricBuckets
{
    /// <summary>Upper bounds (ms) of the duration histogram; a last bucket counts everything slower.</summary>
    public static readonly IReadOnlyList<double> UpperBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000];

    public static int Count => UpperBoundsMs.Count + 1;

    public static int IndexOf(double durationMs)
    {
        for (var i = 0; i < UpperBoundsMs.Count; i++)
        {
            if (durationMs <= UpperBoundsMs[i])
            {
                return i;
            }
        }

        return UpperBoundsMs.Count;
    }
}
