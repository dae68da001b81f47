using Dashboard.Data.Hangfire;
using Dashboard.Data.Database;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// Installs Hangfire.PostgreSql's tables inside our locked migration step. Hangfire's own start-up install is turned
/// off, because replicas that start together would otherwise race to create the same schema.
/// </summary>
internal sealed class HangfireSchemaInstaller(IOptions<HangfireOptions> options) : ISchemaInstaller
{
    public string Name => options.Value.SchemaName;

    public async Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // The installer is synchronous; it runs once at start-up.
        PostgreSqlObjectsInstaller.Install(connection, options.Value.SchemaName);
        await using var command = new NpgsqlCommand(
            ExtraIndexes(options.Value.SchemaName) + FailureSignatures.Install(options.Value.SchemaName), connection);
        // The first start after an upgrade computes the signatures of every failure already stored.
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Indexes Hangfire.PostgreSql lacks and the dashboard's pages need to stay fast at millions of jobs. Hangfire's
    /// own index on <c>job(statename)</c> cannot serve "newest jobs in state X, page after id N": with
    /// <c>(statename, id)</c> that is an index range scan however deep the page, instead of a sort of every job in
    /// the state. It carries <c>stateid</c> too, so grouping every failure (<see cref="FailureSignatures"/>) finds each
    /// failed job's state from the index alone; the entry is rewritten at every state change anyway, since
    /// <c>statename</c> changes with it. (It replaces the first version of the index, which had no <c>stateid</c>.)
    /// The schema name is a validated identifier (<see cref="HangfireOptions.SchemaName"/>).
    /// </summary>
    internal static string ExtraIndexes(string schema) => $"""
        CREATE INDEX IF NOT EXISTS ix_dashboard_job_state_id ON {schema}.job (statename, id) INCLUDE (stateid);
        DROP INDEX IF EXISTS {schema}.ix_dashboard_job_statename_id;
        """;

    public async Task<bool> IsInstalledAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass(@job) IS NOT NULL AND to_regclass(@schema) IS NOT NULL", connection);
        command.Parameters.AddWithValue("job", options.Value.SchemaName + ".job");
        command.Parameters.AddWithValue("schema", options.Value.SchemaName + ".schema");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
