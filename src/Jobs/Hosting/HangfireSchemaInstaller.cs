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

    public Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // The installer is synchronous; it runs once at start-up.
        PostgreSqlObjectsInstaller.Install(connection, options.Value.SchemaName);
        return Task.CompletedTask;
    }

    public async Task<bool> IsInstalledAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass(@job) IS NOT NULL AND to_regclass(@schema) IS NOT NULL", connection);
        command.Parameters.AddWithValue("job", options.Value.SchemaName + ".job");
        command.Parameters.AddWithValue("schema", options.Value.SchemaName + ".schema");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
