using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dashboard.Data.Database;

/// <summary>
/// Answers "does PostgreSQL answer, and is the schema at the version this build expects?" for the readiness probe.
/// It uses its own unpooled connection with a short timeout, so a dead server is noticed at once and a restarted
/// one is seen again without waiting for a broken pool to drain.
/// </summary>
public sealed class SchemaStatus(IDbContextFactory<DashboardDbContext> contexts, PostgresEndpoint endpoint, IEnumerable<ISchemaInstaller> installers)
{
    private string? _latestMigration;

    public async Task<(bool Ready, string Reason)> CheckAsync(CancellationToken cancellationToken)
    {
        var probe = new NpgsqlConnectionStringBuilder(endpoint.ConnectionString)
        {
            Pooling = false,
            Timeout = 3,
            CommandTimeout = 3,
        };

        try
        {
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync(cancellationToken);

            var expected = await LatestMigrationAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                $"SELECT to_regclass('{DashboardDbContext.Schema}.\"__EFMigrationsHistory\"') IS NOT NULL", connection);
            var hasHistory = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (!hasHistory)
            {
                return (false, "the dashboard schema has not been migrated");
            }

            await using var applied = new NpgsqlCommand(
                $"SELECT count(*) FROM {DashboardDbContext.Schema}.\"__EFMigrationsHistory\" WHERE \"MigrationId\" = @id", connection);
            applied.Parameters.AddWithValue("id", expected ?? "");
            if (expected is not null && (long)(await applied.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return (false, $"migration {expected} is not applied");
            }

            foreach (var installer in installers)
            {
                if (!await installer.IsInstalledAsync(connection, cancellationToken))
                {
                    return (false, $"the {installer.Name} schema is not installed");
                }
            }

            return (true, "PostgreSQL answers and the schema is up to date");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return (false, $"PostgreSQL does not answer: {ex.Message}");
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
