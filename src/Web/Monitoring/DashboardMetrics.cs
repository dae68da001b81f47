using System.Diagnostics.Metrics;

namespace Dashboard.Web.Monitoring;

/// <summary>
/// The storage-wide figures of the live snapshot as Prometheus gauges. Every replica reports the same values
/// (they describe the shared storage), so dashboards should take <c>max</c> across replicas, not <c>sum</c>; the
/// per-process job counters come from <see cref="Dashboard.Jobs.Metrics.JobInstruments"/>.
/// </summary>
internal sealed class DashboardMetrics
{
    public const string MeterName = "Dashboard";

    private readonly IOverviewSource _source;
    private readonly TimeProvider _time;

    public DashboardMetrics(IMeterFactory meters, IOverviewSource source, TimeProvider time)
    {
        _source = source;
        _time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("dashboard.queue.depth", () => PerQueue(q => q.Length), description: "Jobs waiting in each queue.");
        meter.CreateObservableGauge("dashboard.queue.processing", () => PerQueue(q => q.Fetched), description: "Jobs fetched from each queue and running.");
        meter.CreateObservableGauge("dashboard.queue.oldest_job_age", OldestAges, unit: "s", description: "Age of the oldest job waiting in each queue (queue latency).");
        meter.CreateObservableGauge("dashboard.jobs", JobsByState, description: "Jobs in storage by state (succeeded and deleted: all-time counters).");
        meter.CreateObservableGauge("dashboard.workers.busy", () => Single(s => s.Counts.Processing), description: "Workers running a job, across all servers.");
        meter.CreateObservableGauge("dashboard.workers.total", () => Single(s => s.TotalWorkers), description: "Workers of all live servers.");
        meter.CreateObservableGauge("dashboard.servers", ServersByStatus, description: "Hangfire servers by heartbeat status.");
        meter.CreateObservableGauge("dashboard.recommended_worker_replicas", () => Single(s => s.Scaling?.RecommendedReplicas), description: "Worker replicas the dashboard recommends (see Dashboard:Scaling).");
        meter.CreateObservableGauge("dashboard.snapshot.age", SnapshotAge, unit: "s", description: "Age of the figures above; grows while storage cannot be read.");
    }

    private OverviewSnapshot? Snapshot => _source.Current.Snapshot;

    private IEnumerable<Measurement<long>> PerQueue(Func<QueueSummary, long> value) =>
        Snapshot?.Queues.Select(q => new Measurement<long>(value(q), Tag("queue", q.Name))) ?? [];

    private IEnumerable<Measurement<double>> OldestAges() => Snapshot is { } snapshot
        ? snapshot.Queues.Select(q => new Measurement<double>(
            q.OldestEnqueuedAt is { } oldest ? Math.Max(0, (snapshot.TakenAt - oldest).TotalSeconds) : 0, Tag("queue", q.Name)))
        : [];

    private IEnumerable<Measurement<long>> JobsByState()
    {
        if (Snapshot?.Counts is not { } c)
        {
            return [];
        }

        return new (string State, long Count)[]
        {
            ("enqueued", c.Enqueued), ("scheduled", c.Scheduled), ("processing", c.Processing), ("failed", c.Failed),
            ("awaiting", c.Awaiting), ("succeeded", c.Succeeded), ("deleted", c.Deleted), ("retrying", c.Retries),
        }.Select(x => new Measurement<long>(x.Count, Tag("state", x.State)));
    }

    private IEnumerable<Measurement<long>> ServersByStatus() => Snapshot is { } snapshot
        ? Enum.GetValues<ServerHealth>().Select(h => new Measurement<long>(
            snapshot.Servers.Count(s => s.Health == h), Tag("status", h.ToString().ToLowerInvariant())))
        : [];

    private IEnumerable<Measurement<long>> Single(Func<OverviewSnapshot, long?> value) =>
        Snapshot is { } snapshot && value(snapshot) is { } v ? [new Measurement<long>(v)] : [];

    private IEnumerable<Measurement<double>> SnapshotAge() => Snapshot is { } snapshot
        ? [new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - snapshot.TakenAt).TotalSeconds))]
        : [];

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
