using System.Data;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// Hangfire.PostgreSql's storage with one change: the distributed locks Hangfire takes through a storage connection
/// (every job's <c>job:&lt;id&gt;:state-lock</c> at each state change, the schedulers' locks) are PostgreSQL
/// advisory locks instead of rows in its <c>lock</c> table.
/// <para>
/// A lock row costs a clean-up <c>DELETE</c>, an <c>INSERT</c> and a releasing <c>DELETE</c>, each in its own
/// transaction that writes and flushes WAL: about 6 statements and 4 durable commits per job for the two state changes
/// a job goes through on a server. An advisory lock is one <c>SELECT</c> to take and one to release, writes nothing,
/// waits in the server's lock manager (no polling) and is released by the server if the holding process dies, where
/// a lock row waits for its timeout.
/// </para>
/// <para>
/// Every process of a deployment must lock the same way: a process on stock Hangfire.PostgreSql (the table) and one
/// on this storage (advisory) would not exclude each other. The app always uses this storage; mixing in a foreign
/// Hangfire.PostgreSql server on the same schema is not supported.
/// </para>
/// </summary>
public sealed class DashboardStorage(string connectionString, PostgreSqlStorageOptions options)
    : PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options, null), options)
{
    private readonly AdvisoryLocks _locks = new(connectionString, options.SchemaName);

    public override IStorageConnection GetConnection() => new DashboardStorageConnection(this, _locks);
}

/// <summary>Hangfire.PostgreSql's connection with <see cref="AdvisoryLocks"/> for its distributed locks.</summary>
public sealed class DashboardStorageConnection(PostgreSqlStorage storage, AdvisoryLocks locks) : PostgreSqlConnection(storage)
{
    // Re-entrant per storage connection, as Hangfire.PostgreSql's locks are: a nested acquire of a resource this
    // connection already holds is counted, not waited for.
    private readonly Dictionary<string, (AdvisoryLock Lock, int Count)> _held = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
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

/// <summary>
/// Session-level PostgreSQL advisory locks, keyed by a 64-bit hash of schema and resource
/// (<c>hashtextextended</c>, so every process computes the same key). A held lock keeps its pooled connection until
/// it is released; a lock whose process dies is released with its session.
/// </summary>
public sealed class AdvisoryLocks
{
    private readonly string _connectionString;
    private readonly string _prefix;

    public AdvisoryLocks(string connectionString, string schema)
    {
        // Never enlisted in an ambient TransactionScope (Hangfire's write transactions use one): a lock outlives
        // transactions and must not commit or roll back with them.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false }.ConnectionString;
        _prefix = schema + ":";
    }

    public AdvisoryLock Acquire(string resource, TimeSpan timeout)
    {
        var key = _prefix + resource;
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            if (TryLock(connection, key) || (timeout > TimeSpan.Zero && WaitForLock(connection, key, timeout)))
            {
                return new AdvisoryLock(connection, key);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        connection.Dispose();
        throw new DistributedLockTimeoutException(resource);
    }

    private static bool TryLock(NpgsqlConnection connection, string key)
    {
        using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = key });
        return (bool)command.ExecuteScalar()!;
    }

    /// <summary>Held by someone else: wait in the server's lock manager, bounded by a transaction-local lock_timeout.</summary>
    private static bool WaitForLock(NpgsqlConnection connection, string key, TimeSpan timeout)
    {
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        using (var limit = new NpgsqlCommand("SELECT set_config('lock_timeout', @ms, true)", connection, transaction))
        {
            limit.Parameters.Add(new NpgsqlParameter<string>("ms", NpgsqlDbType.Text)
            {
                TypedValue = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            limit.ExecuteNonQuery();
        }

        try
        {
            using var wait = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@key, 0))", connection, transaction);
            wait.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = key });
            // The server's lock_timeout ends the wait; the client's timeout is only a backstop for a lost server.
            wait.CommandTimeout = (int)Math.Min(int.MaxValue, Math.Ceiling(timeout.TotalSeconds) + 30);
            wait.ExecuteNonQuery();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            transaction.Rollback();
            return false;
        }

        // A session-level lock taken inside a transaction stays held after the commit, which only resets lock_timeout.
        transaction.Commit();
        return true;
    }
}

/// <summary>A held advisory lock; disposing it releases the lock and returns its connection to the pool.</summary>
public sealed class AdvisoryLock : IDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _key;
    private int _released;

    internal AdvisoryLock(NpgsqlConnection connection, string key)
    {
        _connection = connection;
        _key = key;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", _connection);
            command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = _key });
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The connection broke, and the server released the lock with the session; Npgsql does not pool a
            // broken connection.
        }
        finally
        {
            _connection.Dispose();
        }
    }
}
