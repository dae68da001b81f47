using Dashboard.Data.Database;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace Dashboard.Data.Hangfire;

/// <summary>
/// Hangfire.PostgreSql's connection with <see cref="AdvisoryLocks"/> for its distributed locks, and job data read
/// together with the job's parameters (<see cref="JobDataReader"/>).
/// </summary>
public sealed class DashboardStorageConnection(PostgreSqlStorage storage, AdvisoryLocks locks, JobDataReader jobData, WriteBatchTarget writes)
    : PostgreSqlConnection(storage)
{
    public override JobData? GetJobData(string jobId) => jobData.Read(jobId);

    public override IWriteOnlyTransaction CreateWriteTransaction() => new DashboardWriteTransaction(writes);

    public override string CreateExpiredJob(Job job, IDictionary<string, string?> parameters, DateTime createdAt, TimeSpan expireIn) =>
        writes.CreateExpiredJob(job, parameters, createdAt, expireIn);

    // Re-entrant per storage connection, as Hangfire.PostgreSql's locks are: a nested acquire of a resource this
    // connection already holds is counted, not waited for.
    private readonly Dictionary<string, (AdvisoryLock Lock, int Count)> _held = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        // As Hangfire.PostgreSql's connection: ArgumentNullException for an empty resource too.
        if (string.IsNullOrEmpty(resource))
        {
            throw new ArgumentNullException(nameof(resource));
        }

        lock (_sync)
        {
            if (_held.TryGetValue(resource, out var held))
            {
                _held[resource] = (held.Lock, held.Count + 1);
                return new Release(this, resource);
            }
        }

        var acquired = locks.Acquire(resource, timeout);
        lock (_sync)
        {
            _held[resource] = (acquired, 1);
        }

        return new Release(this, resource);
    }

    private void ReleaseOne(string resource)
    {
        AdvisoryLock? last = null;
        lock (_sync)
        {
            if (!_held.TryGetValue(resource, out var held))
            {
                return;
            }

            if (held.Count > 1)
            {
                _held[resource] = (held.Lock, held.Count - 1);
            }
            else
            {
                _held.Remove(resource);
                last = held.Lock;
            }
        }

        last?.Dispose();
    }

    private sealed class Release(DashboardStorageConnection owner, string resource) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.ReleaseOne(resource);
            }
        }
    }
}
