using Hangfire;

namespace Dashboard.Web.Components.Pages.Overview;

/// <summary>The Overview figures from Hangfire's monitoring API.</summary>
internal sealed class OverviewQueries(JobStorage storage, TimeProvider time) : IOverviewQueries
{
    public OverviewSnapshot Load()
    {
        var monitoring = storage.GetMonitoringApi();
        var stats = monitoring.GetStatistics();
        var counts = new JobCounts(
            stats.Enqueued, stats.Scheduled, stats.Processing, stats.Succeeded, stats.Failed, stats.Deleted, stats.Recurring, stats.Retries ?? 0);

        var servers = monitoring.Servers()
            .Select(s => new ServerSummary(
                s.Name,
                s.WorkersCount,
                [.. s.Queues],
                AsUtc(s.StartedAt),
                AsUtc(s.Heartbeat)))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        var queues = monitoring.Queues()
            .Select(q => new QueueSummary(q.Name, q.Length, q.Fetched ?? 0))
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .ToList();

        return new OverviewSnapshot(time.GetUtcNow(), counts, servers, queues);
    }

    // Hangfire returns UTC times as DateTime with an unspecified kind.
    private static DateTimeOffset? AsUtc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
