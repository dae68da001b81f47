using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Data.Database;

/// <summary>
/// A held session-level PostgreSQL advisory lock, the one type for every lock the app takes: replicas that start at
/// the same moment taking turns at one-time work (migrating, creating the first administrator; a numeric key on the
/// caller's connection) and Hangfire's distributed locks (a named key, hashed by the server with
/// <c>hashtextextended</c> so every process computes the same one, on a connection the lock owns).
/// <para>
/// Releasing unlocks; when the unlock fails the session is ended instead (<see cref="SessionDiscard"/>), which releases
/// the lock too: back in the pool (No Reset On Close: nothing resets it) the session would keep the lock, and whoever
/// waits for it would wait until the process exits.
/// </para>
/// </summary>
public sealed class AdvisoryLock : IDisposable, IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly Func<NpgsqlParameter> _key;
    private readonly string _keySql;
    private readonly bool _ownsConnection;
    private int _released;

    private AdvisoryLock(NpgsqlConnection connection, Func<NpgsqlParameter> key, string keySql, bool ownsConnection)
    {
        _connection = connection;
        _key = key;
        _keySql = keySql;
        _ownsConnection = ownsConnection;
    }

    /// <summary>The SQL of a named key, with its text as parameter <c>@key</c>.</summary>
    public const string NamedKeySql = "hashtextextended(@key, 0)";

    /// <summary>Waits for the numeric lock <paramref name="key"/> on <paramref name="connection"/>, which must stay open while it is held.</summary>
    public static async Task<AdvisoryLock> AcquireAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var held = new AdvisoryLock(connection, () => new NpgsqlParameter<long>("key", NpgsqlDbType.Bigint) { TypedValue = key }, "@key", ownsConnection: false);
        await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        take.Parameters.Add(held._key());
        await take.ExecuteNonQueryAsync(cancellationToken);
        return held;
    }

    /// <summary>
    /// The named lock <paramref name="name"/>, already taken on <paramref name="connection"/> (with
    /// <see cref="NamedKeySql"/>), which the lock now owns: it goes back to the pool when the lock is released.
    /// </summary>
    public static AdvisoryLock TakenOn(NpgsqlConnection connection, string name)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new AdvisoryLock(connection, () => Named(name), NamedKeySql, ownsConnection: true);
    }

    /// <summary>The text parameter <c>@key</c> of a named lock.</summary>
    public static NpgsqlParameter Named(string name) => new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = name };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({_keySql})", _connection);
            release.Parameters.Add(_key());
            release.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // A broken connection took the lock with its session; a healthy one whose unlock was refused or timed out
            // must not go back to the pool holding it.
            SessionDiscard.Discard(_connection);
            return;
        }

        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({_keySql})", _connection);
            release.Parameters.Add(_key());
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The work under the lock is done; what is left is to make sure the lock ends with this session.
            await SessionDiscard.DiscardAsync(_connection);
            return;
        }

        if (_ownsConnection)
        {
            await _connection.DisposeAsync();
        }
    }
}
