using Dashboard.Web.Components.Pages.Overview;

namespace Dashboard.Web.Components.Pages.Queues;

/// <summary>
/// The queues to list: every queue with jobs in storage, plus the queues live servers listen to even when empty,
/// so an idle queue shows as 0 rather than vanishing.
/// </summary>
internal static class QueueRows
{
    public static List<QueueSummary> From(OverviewSnapshot snapshot)
    {
        var rows = snapshot.Queues.ToDictionary(q => q.Name, StringComparer.Ordinal);
        foreach (var name in snapshot.Servers.Where(s => s.IsAlive).SelectMany(s => s.Queues))
        {
            rows.TryAdd(name, new QueueSummary(name, 0, 0) { DrainEstimate = TimeSpan.Zero });
        }

        return [.. rows.Values.OrderBy(q => q.Name, StringComparer.Ordinal)];
    }
}
