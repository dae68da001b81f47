namespace Dashboard.Web.Components.Pages.Overview;

/// <summary>What the Overview page shows, taken in one go by the per-process snapshot service.</summary>
public sealed record OverviewSnapshot(
    DateTimeOffset TakenAt,
    JobCounts Counts,
    IReadOnlyList<ServerSummary> Servers,
    IReadOnlyList<QueueSummary> Queues)
{
    /// <summary>Total worker threads across all servers.</summary>
    public int TotalWorkers => Servers.Sum(s => s.WorkerCount);
}

public sealed record JobCounts(
    long Enqueued,
    long Scheduled,
    long Processing,
    long Succeeded,
    long Failed,
    long Deleted,
    long Recurring,
    long Retries);

public sealed record ServerSummary(
    string Name,
    int WorkerCount,
    IReadOnlyList<string> Queues,
    DateTimeOffset? StartedAt,
    DateTimeOffset? Heartbeat);

public sealed record QueueSummary(string Name, long Length, long Fetched);

/// <summary>The latest snapshot, or the reason the last attempt to take one failed.</summary>
public sealed record OverviewState(OverviewSnapshot? Snapshot, string? Error, DateTimeOffset? ErrorAt)
{
    public static readonly OverviewState Loading = new(null, null, null);
}
