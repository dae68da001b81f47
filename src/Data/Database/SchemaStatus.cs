using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dashboard.Data.Database;

/// <summary>
/// Answers "does PostgreSQL answer, and is the schema at the version this build expects?" for the readiness probe.
/// It runs on a pool of its own (one session, short timeouts, its own Application Name), so probes never open a
/// session each and never wait behind the workers for a connection; after a failure that pool is cleared, so a
/// restarted server is seen again at the next check instead of through a dead pooled session.
/// Callers decide how often it runs (the web host caches it, <c>ReadinessProbe</c>).
/// </summary>
public sealed class SchemaStatus(IDbContextFactory<DashboardDbContext> contexts, PostgresEndpoint endpoint, IEnumerable<ISchemaInstaller> installers)
{
    private readonly string _probe = new NpgsqlConnectionStringBuilder(endpoint.ConnectionString)
    {
        Timeout = 3,
        CommandTimeout = 3,
        // One check runs at a time per process; the second slot is slack, not a second concurrent check.
        MaxPoolSize = 2,
        MinPoolSize = 0,
        Enlist = false,
        ApplicationName = "dashboard-readiness",
    }.ConnectionString;

    private string? _latestMigration;

    public async Task<SchemaCheck> CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_probe);
        try
        {
            await connection.OpenAsync(cancellationToken);

            var expected = await LatestMigrationAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                $"SELECT to_regclass('{DashboardDbContext.Schema}.\"__EFMigrationsHistory\"') IS NOT NULL", connection);
            var hasHistory = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (!hasHistory)
            {
                return SchemaCheck.NotReady("the dashboard schema has not been migrated");
            }

            await using var applied = new NpgsqlCommand(
                $"SELECT count(*) FROM {DashboardDbContext.Schema}.\"__EFMigrationsHistory\" WHERE \"MigrationId\" = @id", connection);
            applied.Parameters.AddWithValue("id", expected ?? "");
            if (expected is not null && (long)(await applied.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return SchemaCheck.NotReady($"migration {expected} is not applied");
            }

            foreach (var installer in installers)
            {
                if (!await installer.IsInstalledAsync(connection, cancellationToken))
                {
                    return SchemaCheck.NotReady($"the {installer.Name} schema is not installed");
                }
            }

            return SchemaCheck.Ok();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // The pooled session may be the one that died (a restarted server): the next check starts afresh.
            NpgsqlConnection.ClearPool(connection);
            return SchemaCheck.Unreachable($"PostgreSQL does not answer: {ex.Message}");
        }
    }

    private async Task<string?> LatestMigrationAsync(CancellationToken cancellationToken)
    {
        if (_latestMigration is null)
        {
            await using var context = await contexts.CreateDbContextAsync(cancellationToken);
            _latestMigration = context.Database.GetMigrations().LastOrDefault();
        }

        return _latestMigration;
    }
}
