using Npgsql;

namespace Dashboard.Data.Database;

/// <summary>
/// Ends the PostgreSQL session behind a pooled connection instead of handing it back to the pool, for a connection
/// whose session still holds something that must not outlive its user (an advisory lock whose unlock failed).
/// </summary>
/// <remarks>
/// Closing a pooled <see cref="NpgsqlConnection"/> keeps its session, and with <c>No Reset On Close</c> nothing
/// (no <c>DISCARD ALL</c>) releases the session's advisory locks: the next borrower inherits them.
/// Npgsql has no public call that drops one physical connection; <see cref="NpgsqlConnection.ClearPool"/> is the
/// supported way: it closes the pool's idle connections and marks every connection opened before it, this one
/// included, to be closed when it is returned rather than pooled. The session then ends and PostgreSQL releases its
/// locks. Asking the server to end the session instead (<c>pg_terminate_backend</c>) is one more statement on a
/// session that has just failed one. Clearing also drops the pool's idle connections; they are reopened on demand,
/// which is cheap for something as rare as a failed unlock. The locks taken all the time (Hangfire's, in
/// <c>DashboardStorage</c>) have a pool of their own for that reason; the start-up lock (<see cref="AdvisoryLock"/>:
/// migrations, first administrator) is taken once per process start, where clearing the shared pool costs a few
/// reconnects.
/// </remarks>
public static class SessionDiscard
{
    public static void Discard(NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            NpgsqlConnection.ClearPool(connection);
        }
        finally
        {
            connection.Dispose();
        }
    }

    public static async ValueTask DiscardAsync(NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            NpgsqlConnection.ClearPool(connection);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
