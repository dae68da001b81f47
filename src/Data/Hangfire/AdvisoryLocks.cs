using System.Data;
using Dashboard.Data.Database;
using Hangfire.PostgreSql;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Data.Hangfire;

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
                return AdvisoryLock.TakenOn(connection, key);
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
        using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLock.NamedKeySql})", connection);
        command.Parameters.Add(AdvisoryLock.Named(key));
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
            using var wait = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLock.NamedKeySql})", connection, transaction);
            wait.Parameters.Add(AdvisoryLock.Named(key));
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
