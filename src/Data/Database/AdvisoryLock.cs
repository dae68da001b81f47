using Npgsql;

namespace Dashboard.Data.Database;

/// <summary>
/// A session-level PostgreSQL advisory lock: the way replicas that start at the same moment take turns at one-time
/// work (migrating, creating the first administrator) without a lock table of our own.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private AdvisoryLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Waits for the lock on <paramref name="connection"/>, which must stay open while it is held.</summary>
    public static async Task<AdvisoryLock> AcquireAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        take.Parameters.AddWithValue("key", key);
        await take.ExecuteNonQueryAsync(cancellationToken);
        return new AdvisoryLock(connection, key);
    }

    /// <summary>
    /// Releases the lock. When the unlock fails the session is ended instead (<see cref="SessionDiscard"/>), which
    /// releases the lock too: back in the pool the session would keep it, and the next start-up would wait forever.
    /// The caller's connection is closed then.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
            release.Parameters.AddWithValue("key", _key);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The work under the lock is done; what is left is to make sure the lock ends with this session.
            await SessionDiscard.DiscardAsync(_connection);
        }
    }
}
