using Dashboard.Data;
using Dashboard.Data.Database;
using Microsoft.EntityFrameworkCore;
using Dashboard.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dashboard.IntegrationTests.Data.Database;

public sealed class DatabaseMigratorTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesDashboardAndHangfireSchemas()
    {
        var connectionString = postgres.CreateDatabase();
        using var app = DataServices.Build(connectionString);
        var ct = TestContext.Current.CancellationToken;

        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        Assert.True(await ExistsAsync(connection, "dashboard.data_protection_keys", ct));
        Assert.True(await ExistsAsync(connection, "dashboard.\"__EFMigrationsHistory\"", ct));
        Assert.True(await ExistsAsync(connection, "hangfire.job", ct));
        Assert.True(await ExistsAsync(connection, "hangfire.jobqueue", ct));
        Assert.Equal(MigrationCount(app), await ScalarAsync<long>(connection, "SELECT count(*) FROM dashboard.\"__EFMigrationsHistory\"", ct));
        Assert.True(await ExistsAsync(connection, "dashboard.email_deliveries", ct));
        Assert.True(await ExistsAsync(connection, "dashboard.job_metrics_minute", ct));

        var check = await app.Services.GetRequiredService<SchemaStatus>().CheckAsync(ct);
        Assert.True(check.Ready, check.Detail);
    }

    [Fact]
    public async Task Check_DatabaseNeverMigrated_IsNotReady()
    {
        var connectionString = postgres.CreateDatabase();
        using var app = DataServices.Build(connectionString);

        var check = await app.Services.GetRequiredService<SchemaStatus>().CheckAsync(TestContext.Current.CancellationToken);

        Assert.False(check.Ready);
        Assert.Equal(SchemaCheck.SchemaNotReady, check.Category);
        Assert.Contains("not been migrated", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_FourReplicasAtOnce_AppliesEachMigrationOnce()
    {
        var connectionString = postgres.CreateDatabase();
        var ct = TestContext.Current.CancellationToken;
        var apps = Enumerable.Range(0, 4).Select(_ => DataServices.Build(connectionString)).ToList();
        try
        {
            var migrators = apps.Select(a => a.Services.GetRequiredService<DatabaseMigrator>()).ToList();
            using var start = new Barrier(migrators.Count);
            await Task.WhenAll(migrators.Select(m => Task.Run(
                async () =>
                {
                    start.SignalAndWait(ct);
                    await m.MigrateAsync(ct);
                },
                ct)));

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            Assert.Equal(MigrationCount(apps[0]), await ScalarAsync<long>(connection, "SELECT count(*) FROM dashboard.\"__EFMigrationsHistory\"", ct));
            Assert.Equal(1L, await ScalarAsync<long>(
                connection, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_name = 'job'", ct));
        }
        finally
        {
            foreach (var app in apps)
            {
                app.Dispose();
            }
        }
    }

    private static long MigrationCount(Microsoft.Extensions.Hosting.IHost app)
    {
        using var context = app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContext();
        return context.Database.GetMigrations().LongCount();
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        await ScalarAsync<bool>(connection, $"SELECT to_regclass('{table}') IS NOT NULL", ct);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
