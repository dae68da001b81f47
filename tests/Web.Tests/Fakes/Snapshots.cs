using Dashboard.Web.Monitoring;

namespace Dashboard.Web.Tests.Fakes;

internal static class Snapshots
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static OverviewSnapshot Sample(long enqueued = 12, long failed = 3, params ServerSummary[] servers) => new(
        Now,
        new JobCounts(Enqueued: enqueued, Scheduled: 4, Processing: 2, Succeeded: 1_234, Failed: failed, Deleted: 5, Recurring: 6, Retries: 1),
        servers.Length > 0 ? servers : [Server("host-a:101:aaaa", workers: 20), Server("host-b:202:bbbb", workers: 10)],
        [new QueueSummary("critical", 1, 0), new QueueSummary("default", 11, 2)]);

    public static ServerSummary Server(string name, int workers, TimeSpan? heartbeatAge = null) =>
        new(name, workers, ["critical", "default"], Now.AddHours(-3), Now - (heartbeatAge ?? TimeSpan.FromSeconds(5)));
}
