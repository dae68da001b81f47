using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dashboard.Data.Database;

/// <summary>
/// Brings the database up to date: EF Core migrations of the <c>dashboard</c> schema, then every
/// <see cref="ISchemaInstaller"/>. It runs under a session-level PostgreSQL advisory lock, so when several replicas
/// start at the same moment one migrates and the others wait, then find nothing left to do.
/// </summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<DashboardDbContext> contexts,
    PostgresEndpoint endpoint,
    IEnumerable<ISchemaInstaller> installers,
    ILogger<DatabaseMigrator> logger)
{
    /// <summary>Advisory lock key: any fixed number; this one is "dashbrd" in ASCII.</summary>
    internal const long LockKey = 0x64617368627264;

    /// <summary>
    /// Migrates, retrying while PostgreSQL does not accept connections yet (a replica may start before the database
    /// container is up), for at most <paramref name="waitForServer"/>.
    /// </summary>
    public async Task MigrateAsync(TimeSpan waitForServer, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + waitForServer;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (IsUnreachable(ex) && DateTime.UtcNow + delay < deadline)
            {
                LogWaiting(logger, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(endpoint.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exclusive = await AdvisoryLock.AcquireAsync(connection, LockKey, cancellationToken);
        await using (var context = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // Creating the history table first keeps EF Core from logging a failed SELECT on an empty database,
            // which reads like an error to someone starting the app for the first time.
            await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            await context.Database.MigrateAsync(cancellationToken);
            var applied = await context.Database.GetAppliedMigrationsAsync(cancellationToken);
            LogMigrated(logger, applied.LastOrDefault() ?? "none");
        }

        foreach (var installer in installers)
        {
            if (!await installer.IsInstalledAsync(connection, cancellationToken))
            {
                LogInstalling(logger, installer.Name);
            }

            // Installers are idempotent and upgrade older versions, so they always run.
            await installer.InstallAsync(connection, cancellationToken);
        }
    }

    private static bool IsUnreachable(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } || ex.InnerException is System.Net.Sockets.SocketException or TimeoutException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet, retrying in {Seconds} s: {Reason}")]
    private static partial void LogWaiting(ILogger logger, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard schema is up to date (latest migration {Migration})")]
    private static partial void LogMigrated(ILogger logger, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installing the {Schema} schema")]
    private static partial void LogInstalling(ILogger logger, string schema);
}
