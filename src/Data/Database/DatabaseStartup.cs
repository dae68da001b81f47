using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Data.Database;

/// <summary>
/// Migrates before anything else starts (it is registered first, and hosted services start in order), so the
/// Hangfire server never polls tables that do not exist yet.
/// </summary>
internal sealed class DatabaseStartup(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStart
            ? migrator.MigrateAsync(options.Value.StartupTimeout, cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
