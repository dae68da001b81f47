namespace Dashboard.Web.Monitoring;

/// <summary>
/// What the live pages (Overview, Queues, Workers) show, taken in one go by the per-process snapshot service.
/// The positional part is the core; the rest is filled in by the storage queries and the snapshot service.
/// </summary>
public sealed record OverviewSnapshot(
    DateTimeOffset TakenAt,
    JobCounts Counts,
    IReadOnlyList<ServerSummary> Servers,
    IReadOnlyList<QueueSummary> Queues)
{
    /// <summary>Worker threads of the servers that are alive (healthy or late).</summary>
    public int TotalWorkers => Servers.Where(s => s.IsAlive).Sum(s => s.WorkerCount);

    /// <summary>Jobs running now, each with the server that holds it.</summary>
    public IReadOnlyList<RunningJob> Running { get; init; } = [];

    /// <summary>Succeeded and failed executions over the last hour, day and week.</summary>
    public ThroughputHistory Throughput { get; init; } = ThroughputHistory.Empty;

    /// <summary>What an operator should look at now, most severe first.</summary>
    public IReadOnlyList<AttentionItem> Attention { get; init; } = [];

    /// <summary>How many worker replicas to run, and why; null until analysed.</summary>
    public ScalingAdvice? Scaling { get; init; }
}

public sealed record JobCounts(
    long Enqueued,
    long Scheduled,
    long Processing,
    long Succeeded,
    long Failed,
    long Deleted,
    long Recurring,
    long Retries)
{
    public long Awaiting { get; init; }
}

public enum ServerHealth
{
    /// <summary>Heartbeat within <see cref="MonitoringOptions.HeartbeatLateAfter"/>.</summary>
    Healthy,
    /// <summary>Heartbeat overdue but not yet stale.</summary>
    Late,
    /// <summary>No heartbeat for <see cref="MonitoringOptions.HeartbeatStaleAfter"/> and not stopped cleanly.</summary>
    Stale,
    /// <summary>Stopped cleanly (graceful shutdown).</summary>
    Stopped,
}

public sealed record ServerSummary(
    string Name,
    int WorkerCount,
    IReadOnlyList<string> Queues,
    DateTimeOffset? StartedAt,
    DateTimeOffset? Heartbeat)
{
    public ServerHealth Health { get; init; } = ServerHealth.Healthy;

    public bool IsAlive => Health is ServerHealth.Healthy or ServerHealth.Late;

    /// <summary>From the dashboard's own heartbeat; null for a server that never wrote one (e.g. another app).</summary>
    public ServerVitals? Vitals { get; init; }
}

/// <summary>What the dashboard's rich heartbeat adds to Hangfire's: process, load and counts since start.</summary>
public sealed record ServerVitals(
    string Host,
    int ProcessId,
    long WorkingSetBytes,
    double CpuPercent,
    int BusyWorkers,
    long Processed,
    long Failed,
    DateTimeOffset? StoppedAt);

public sealed record QueueSummary(string Name, long Length, long Fetched)
{
    /// <summary>When the oldest job still waiting in the queue was enqueued: its age is the queue's latency.</summary>
    public DateTimeOffset? OldestEnqueuedAt { get; init; }

    /// <summary>Executions finished per minute over the trend window (any outcome).</summary>
    public double CompletedPerMinute { get; init; }

    /// <summary>Whether any live server listens to this queue; if none does, its jobs wait forever.</summary>
    public bool HasListeners { get; init; } = true;

    /// <summary>Waiting jobs over the trend window, oldest sample first (this process's own samples).</summary>
    public IReadOnlyList<long> DepthTrend { get; init; } = [];

    /// <summary>Estimated jobs arriving per minute: completions plus the change in depth; null until there is history.</summary>
    public double? ArrivalPerMinute { get; init; }

    /// <summary>Time to empty the queue at the current net rate; null when it is not shrinking.</summary>
    public TimeSpan? DrainEstimate { get; init; }

    /// <summary>Growing, shrinking or steady over the trend window.</summary>
    public QueueTrend Trend { get; init; } = QueueTrend.Steady;
}

public enum QueueTrend
{
    Steady,
    Growing,
    Shrinking,
}

public sealed record RunningJob(string JobId, string JobType, string ServerId, string? WorkerId, DateTimeOffset StartedAt);

/// <summary>Succeeded and failed executions in one bucket of a throughput chart.</summary>
public sealed record ThroughputPoint(DateTimeOffset Start, long Succeeded, long Failed)
{
    public long Total => Succeeded + Failed;
}

public sealed record ThroughputHistory(
    IReadOnlyList<ThroughputPoint> LastHourByMinute,
    IReadOnlyList<ThroughputPoint> LastDayByHour,
    IReadOnlyList<ThroughputPoint> LastWeekByDay)
{
    public static readonly ThroughputHistory Empty = new([], [], []);

    /// <summary>Failed share of last hour's executions, in percent; null when nothing ran.</summary>
    public double? ErrorRatePercent
    {
        get
        {
            var total = LastHourByMinute.Sum(p => p.Total);
            return total == 0 ? null : 100.0 * LastHourByMinute.Sum(p => p.Failed) / total;
        }
    }
}

public enum AttentionLevel
{
    Error,
    Warning,
    Info,
}

/// <summary>One thing to look at, with where to look.</summary>
public sealed record AttentionItem(AttentionLevel Level, string Message, string? Link);

/// <summary>The latest snapshot, or the reason the last attempt to take one failed.</summary>
public sealed record OverviewState(OverviewSnapshot? Snapshot, string? Error, DateTimeOffset? ErrorAt)
{
    public static readonly OverviewState Loading = new(null, null, null);
}
