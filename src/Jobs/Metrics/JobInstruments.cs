using System.Diagnostics.Metrics;
using Dashboard.Data.Entities;

namespace Dashboard.Jobs.Metrics;

/// <summary>
/// Per-process job counters for /metrics: each replica exports what it ran, and Prometheus sums them. The duration
/// histogram uses the same bucket bounds as the stored execution metrics, so both views agree.
/// </summary>
public sealed class JobInstruments
{
    public const string MeterName = "Dashboard.Jobs";

    private readonly Counter<long> _processed;
    private readonly Histogram<double> _duration;

    public JobInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _processed = meter.CreateCounter<long>(
            "dashboard.jobs.processed", unit: null, "Jobs this process finished, by job type, queue and outcome.");
        _duration = meter.CreateHistogram(
            "dashboard.job.duration",
            unit: "s",
            "Execution time of the jobs this process finished.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. JobMetricBuckets.UpperBoundsMs.Select(ms => ms / 1000)] });
    }

    public void Finished(string jobType, string queue, double durationMs, bool failed)
    {
        var type = new KeyValuePair<string, object?>("job_type", jobType);
        var inQueue = new KeyValuePair<string, object?>("queue", queue);
        _processed.Add(1, type, inQueue, new KeyValuePair<string, object?>("outcome", failed ? "failed" : "succeeded"));
        _duration.Record(durationMs / 1000, type, inQueue);
    }
}
