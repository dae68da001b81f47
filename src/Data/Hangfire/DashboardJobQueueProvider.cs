using Hangfire.PostgreSql;

namespace Dashboard.Data.Hangfire;

/// <summary>
/// Serves <see cref="DashboardJobQueue"/> for the queues it is registered for. Monitoring stays Hangfire.PostgreSql's:
/// both providers read the one queue table, so only the default provider lists queues (listing them here too would
/// count every queue twice in Hangfire's monitoring API).
/// </summary>
public sealed class DashboardJobQueueProvider(
    PostgreSqlStorage storage, PostgreSqlStorageOptions options, string connectionString, QueueNotifications notifications)
    : IPersistentJobQueueProvider
{
    private readonly DashboardJobQueue _queue = new(storage, options, connectionString, notifications);
    private readonly IPersistentJobQueueMonitoringApi _monitoring = new QueueMonitoringWithoutListing(
        new PostgreSqlJobQueueProvider(storage, options).GetJobQueueMonitoringApi());

    public IPersistentJobQueue GetJobQueue() => _queue;

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi() => _monitoring;

    private sealed class QueueMonitoringWithoutListing(IPersistentJobQueueMonitoringApi inner) : IPersistentJobQueueMonitoringApi
    {
        public IEnumerable<string> GetQueues() => [];

        public IEnumerable<long> GetEnqueuedJobIds(string queue, int from, int perPage) => inner.GetEnqueuedJobIds(queue, from, perPage);

        public IEnumerable<long> GetFetchedJobIds(string queue, int from, int perPage) => inner.GetFetchedJobIds(queue, from, perPage);

        public EnqueuedAndFetchedCountDto GetEnqueuedAndFetchedCount(string queue) => inner.GetEnqueuedAndFetchedCount(queue);
    }
}
