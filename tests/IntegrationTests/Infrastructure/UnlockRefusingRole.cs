using Npgsql;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// A login role of a test database whose <c>pg_advisory_unlock</c> fails for real (42501, permission denied): the
/// database's <c>EXECUTE</c> grant on the function is revoked from PUBLIC. Function privileges live in each
/// database's own catalog, so other databases of the server are not affected. The role can still take locks.
/// </summary>
internal static class UnlockRefusingRole
{
    public const string Password = "unlock-refused";

    /// <returns>A connection string for the new role, No Reset On Close as the app runs.</returns>
    public static async Task<string> CreateAsync(string adminConnectionString)
    {
        var role = "unlocker_" + Guid.NewGuid().ToString("N")[..10];
        await Sql.ExecuteAsync(adminConnectionString, $"CREATE ROLE {role} LOGIN PASSWORD '{Password}'");
        await Sql.ExecuteAsync(adminConnectionString, "REVOKE EXECUTE ON FUNCTION pg_advisory_unlock(bigint) FROM PUBLIC");
        return new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Username = role,
            Password = Password,
            NoResetOnClose = true,
        }.ConnectionString;
    }

    /// <summary>Advisory locks granted in <paramref name="adminConnectionString"/>'s database, seen from a session of its own.</summary>
    public static Task<long> GrantedAdvisoryLocksAsync(string adminConnectionString) =>
        Sql.ScalarAsync<long>(adminConnectionString,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    /// <summary>The positive signal that the arrangement works: the role's unlock is refused by the server.</summary>
    public static async Task AssertUnlockIsRefusedAsync(string roleConnectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(roleConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(42)", connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => unlock.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }
}
