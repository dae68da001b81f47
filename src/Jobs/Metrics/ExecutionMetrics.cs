using Dashboard.Data.Entities;

namespace Dashboard.Jobs.Metrics;

/// <summary>
/// In-memory aggregates of the jobs this process ran: per minute, job type and queue (flushed to
/// <c>dashboard.job_metrics_minute</c> in batches by <see cref="ServerReporter"/>) and totals since start (for the
/// heartbeat). Recording is a lock and a few additions: no database write per job.
/// </summary>
public sealed class ExecutionMetrics(TimeProvider time)
{
    private readonly Lock _gate = new();
    private Dictionary<MetricKey, MetricSample> _pending = [];
    private int _busy;
    private long _processed;
    private long _failed;
    private double _durationSumMs;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public int BusyWorkers => Volatile.Read(ref _busy);

    public void Started() => Interlocked.Increment(ref _busy);

    public void Finished(string jobType, string queue, double durationMs, bool failed)
    {
        Interlocked.Decrement(ref _busy);
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        lock (_gate)
        {
            _processed++;
            _failed += failed ? 1 : 0;
            _durationSumMs += durationMs;

            var key = new MetricKey(minute, jobType, queue);
            if (!_pending.TryGetValue(key, out var sample))
            {
                sample = new MetricSample(key, new long[JobMetricBuckets.Count]);
                _pending[key] = sample;
            }

            sample.Executions++;
            sample.Failures += failed ? 1 : 0;
            sample.DurationSumMs += durationMs;
            sample.DurationMaxMs = Math.Max(sample.DurationMaxMs, durationMs);
            sample.Histogram[JobMetricBuckets.IndexOf(durationMs)]++;
        }
    }

    /// <summary>Processed, failed and mean duration since this process started.</summary>
    public (long Processed, long Failed, double AverageDurationMs) Totals()
    {
        lock (_gate)
        {
            return (_processed, _failed, _processed == 0 ? 0 : _durationSumMs / _processed);
        }
    }

    /// <summary>Takes everything recorded since the last call.</summary>
    public IReadOnlyList<MetricSample> Drain()
    {
        lock (_gate)
        {
            var drained = _pending;
            _pending = [];
            return [.. drained.Values];
        }
    }

    /// <summary>Puts back samples whose flush failed, so a database outage delays figures instead of losing them.</summary>
    public void Restore(IEnumerable<MetricSample> samples)
    {
        lock (_gate)
        {
            foreach (var sample in samples)
            {
                if (_pending.TryGetValue(sample.Key, out var existing))
                {
                    existing.Add(sample);
                }
                else
                {
                    _pending[sample.Key] = sample;
                }
            }
        }
    }
}

public readonly record struct MetricKey(DateTimeOffset Minute, string JobType, string Queue);

public sealed class MetricSample(MetricKey key, long[] histogram)
{
    public MetricKey Key { get; } = key;

    public long Executions { get; set; }

    public long Failures { get; set; }

    public double DurationSumMs { get; set; }

    public double DurationMaxMs { get; set; }

    public long[] Histogram { get; } = histogram;

    public void Add(MetricSample other)
    {
        Executions += other.Executions;
        Failures += other.Failures;
        DurationSumMs += other.DurationSumMs;
        DurationMaxMs = Math.Max(DurationMaxMs, other.DurationMaxMs);
        for (var i = 0; i < Histogram.Length; i++)
        {
            Histogram[i] += other.Histogram[i];
        }
    }
}
