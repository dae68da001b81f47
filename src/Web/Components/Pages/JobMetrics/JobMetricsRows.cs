namespace Dashboard.Web.Components.Pages.JobMetrics;

/// <summary>One line of the metrics table: a job type, or a job type in one queue.</summary>
public sealed record JobMetricsRow(
    string JobType,
    string? Queue,
    long Executions,
    long Failures,
    double? AverageMs,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    double? MaxMs,
    IReadOnlyList<long> Trend)
{
    public double FailureRate => Executions == 0 ? 0 : (double)Failures / Executions;

    /// <summary>Per job type (queues merged), or per job type and queue.</summary>
    public static IReadOnlyList<JobMetricsRow> From(IEnumerable<MetricsSeries> series, bool byQueue) =>
        series
            .GroupBy(s => (s.JobType, Queue: byQueue ? s.Queue : null))
            .Select(g => Merge(g.Key.JobType, g.Key.Queue, [.. g]))
            .ToList();

    private static JobMetricsRow Merge(string jobType, string? queue, IReadOnlyList<MetricsSeries> parts)
    {
        var executions = parts.Sum(p => p.Executions);
        var histogram = parts.Aggregate(Array.Empty<long>(), (sum, p) => DurationPercentiles.Add(sum, p.Histogram));
        var max = parts.Max(p => p.DurationMaxMs);
        var trend = parts.Aggregate(new long[parts[0].Trend.Length], (sum, p) => DurationPercentiles.Add(sum, p.Trend));
        return new JobMetricsRow(
            jobType,
            queue,
            executions,
            parts.Sum(p => p.Failures),
            executions == 0 ? null : parts.Sum(p => p.DurationSumMs) / executions,
            DurationPercentiles.Estimate(histogram, max, 0.50),
            DurationPercentiles.Estimate(histogram, max, 0.95),
            DurationPercentiles.Estimate(histogram, max, 0.99),
            executions == 0 ? null : max,
            trend);
    }
}
