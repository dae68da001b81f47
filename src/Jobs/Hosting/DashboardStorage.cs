using System.Data;
using Dashboard.Data.Database;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// Hangfire.PostgreSql's storage with the job path made cheaper: its connections take Hangfire's distributed locks
/// as PostgreSQL advisory locks (below), read a job with its parameters (<see cref="JobDataReader"/>), create a job
/// and its parameters in one statement, and write through <see cref="DashboardWriteTransaction"/> (one batch per
/// transaction). The queue is <see cref="DashboardJobQueue"/>, registered by the host.
/// <para>
/// The locks: every job's <c>job:&lt;id&gt;:state-lock</c> at each state change and the schedulers' locks are
/// advisory locks instead of rows in Hangfire.PostgreSql's <c>lock</c> table.
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
public sealed partial class DashboardStorage(string connectionString, PostgreSqlStorageOptions options, QueueNotifications notifications)
    : PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options, null), options)
{
    // The app's own connections of the storage (locks, job reads, writes outside a caller's transaction) are never
    // enlisted in an ambient TransactionScope: a lock outlives transactions and must not commit or roll back with
    // them, and a read has no business inside one. Writes join the caller's transaction only when there is one.
    private static string Unenlisted(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false }.ConnectionString;

    // Field initialisers run before the base constructor's own checks: without these, a null argument would be a
    // NullReferenceException from the first initialiser instead of the ArgumentNullException Hangfire.PostgreSql throws.
    private static T Checked<T>(T? value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class => value ?? throw new ArgumentNullException(name);

    private readonly AdvisoryLocks _locks = new(
        AdvisoryLocks.OwnPool(Unenlisted(Checked(connectionString))), Checked(options).SchemaName);
    private readonly JobDataReader _jobData = new(Unenlisted(connectionString), options.SchemaName);
    private readonly WriteBatchTarget _writes = new(
        connectionString, Unenlisted(connectionString), options.SchemaName, options.EnableTransactionScopeEnlistment,
        Announcer(notifications, options));

    private static Action? Announcer(QueueNotifications notifications, PostgreSqlStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        return options.EnableLongPolling ? notifications.Announce : null;
    }

    public override IStorageConnection GetConnection() => new DashboardStorageConnection(this, _locks, _jobData, _writes);
}

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

/// <summary>
/// Session-level PostgreSQL advisory locks, keyed by a 64-bit hash of schema and resource
/// (<c>hashtextextended</c>, so every process computes the same key). A held lock keeps its pooled connection until
/// it is released; a lock whose process dies is released with its session.
/// </summary>
public sealed class AdvisoryLocks
{
    private readonly string _connectionString;
    private readonly string _prefix;

    /// <param name="connectionString">One that never enlists in an ambient transaction (<see cref="DashboardStorage"/>).</param>
    public AdvisoryLocks(string connectionString, string schema)
    {
        _connectionString = connectionString;
        _prefix = schema + ":";
    }

    /// <summary>
    /// The lock connections' own pool (a distinct Application Name, which also tells them apart in
    /// <c>pg_stat_activity</c>): discarding a lock whose unlock failed clears this pool only
    /// (<see cref="SessionDiscard"/>), not the one of the workers' reads and writes.
    /// </summary>
    public static string OwnPool(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName = string.IsNullOrEmpty(builder.ApplicationName) ? "dashboard-locks" : builder.ApplicationName + " (locks)";
        return builder.ConnectionString;
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
        // Hangfire.PostgreSql's type (a DistributedLockTimeoutException), so code that catches it catches ours too.
        throw new PostgreSqlDistributedLockException(resource);
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

/// <summary>A held advisory lock; disposing it releases the lock and returns its connection to the pool (or ends the session when the unlock fails).</summary>
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
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // A broken connection took the lock with its session, but one whose unlock was refused or timed out
            // and cancelled is still healthy and would go back to the pool holding the lock (No Reset On Close:
            // nothing releases it), so the job's state lock would stay taken until the process exits.
            SessionDiscard.Discard(_connection);
            return;
        }

        _connection.Dispose();
    }
}

/// <summary>
/// A job's data and its parameters in one statement. Hangfire.Core reads parameters "allowing stale values" from
/// <see cref="JobData.ParametersSnapshot"/> when the storage fills it (the culture of every job, our attempt count);
/// Hangfire.PostgreSql does not, so each of those is one more query per job. Otherwise the same as
/// Hangfire.PostgreSql's read: the same columns, the same deserialisation, a job whose class cannot be loaded comes
/// back with its <see cref="JobData.LoadException"/>, an unknown id as null.
/// </summary>
public sealed class JobDataReader(string connectionString, string schema)
{
    private readonly string _sql = $"""
        SELECT j."invocationdata"::text, j."statename", j."arguments"::text, j."createdat", p.names, p.values
        FROM "{schema}"."job" j
        LEFT JOIN LATERAL (
            SELECT array_agg(jp."name") AS names, array_agg(jp."value") AS values
            FROM "{schema}"."jobparameter" jp WHERE jp."jobid" = j."id") p ON true
        WHERE j."id" = @id
        """;

    public JobData? Read(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (!long.TryParse(jobId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(_sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long>("id", NpgsqlDbType.Bigint) { TypedValue = id });
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var invocation = Hangfire.Common.SerializationHelper.Deserialize<InvocationData>(reader.GetString(0));
        invocation.Arguments = reader.IsDBNull(2) ? null : reader.GetString(2);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!reader.IsDBNull(4))
        {
            var names = reader.GetFieldValue<string[]>(4);
            var values = reader.GetFieldValue<string?[]>(5);
            for (var i = 0; i < names.Length; i++)
            {
                parameters[names[i]] = values[i]!;
            }
        }

        Hangfire.Common.Job? job = null;
        Hangfire.Common.JobLoadException? loadException = null;
        try
        {
            job = invocation.DeserializeJob();
        }
        catch (Hangfire.Common.JobLoadException ex)
        {
            loadException = ex;
        }

        return new JobData
        {
            Job = job,
            InvocationData = invocation,
            State = reader.IsDBNull(1) ? null : reader.GetString(1),
            CreatedAt = reader.GetDateTime(3),
            LoadException = loadException,
            ParametersSnapshot = parameters,
        };
    }
}
