using Dashboard.Data.Database;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Maintenance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dashboard.IntegrationTests.Jobs;

public sealed class MaintenanceJobTests(PostgresServerFixture postgres)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task AggregateMetrics_MinuteRows_RollUpIntoHoursAndRerunGivesSameResult()
    {
        var (host, connectionString) = await MigratedAsync();
        using var _ = host;
        var hour = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero).AddHours(-1);
        await Sql.ExecuteAsync(connectionString, """
            INSERT INTO dashboard.job_metrics_minute VALUES
              (@h + interval '1 minute', 'send-email', 'default', 10, 1, 100, 40, '{1,2,3}'),
              (@h + interval '2 minutes', 'send-email', 'default', 5, 2, 50, 90, '{0,5,1}'),
              (@h + interval '2 minutes', 'send-email', 'critical', 1, 0, 7, 7, '{1,0,0}')
            """, hour);
        var job = host.Services.GetRequiredService<AggregateMetricsJob>();

        await job.RunAsync(new AggregateMetricsArgs(), TestContext.Current.CancellationToken);
        await job.RunAsync(new AggregateMetricsArgs(), TestContext.Current.CancellationToken);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var read = new NpgsqlCommand(
            "SELECT executions, failures, duration_sum_ms, duration_max_ms, histogram FROM dashboard.job_metrics_hour WHERE bucket_start = @h AND job_type = 'send-email' AND queue = 'default'",
            connection);
        read.Parameters.AddWithValue("h", hour);
        await using var reader = await read.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(15L, reader.GetInt64(0));
        Assert.Equal(3L, reader.GetInt64(1));
        Assert.Equal(150.0, reader.GetDouble(2));
        Assert.Equal(90.0, reader.GetDouble(3));
        Assert.Equal([1L, 7L, 4L], reader.GetFieldValue<long[]>(4));
        Assert.False(await reader.ReadAsync(TestContext.Current.CancellationToken));
        await reader.DisposeAsync();
        Assert.Equal(2L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM dashboard.job_metrics_hour"));
    }

    [Fact]
    public async Task PurgeExpiredData_OldAndNewRows_DeletesOnlyExpired()
    {
        var (host, connectionString) = await MigratedAsync();
        using var _ = host;
        await Sql.ExecuteAsync(connectionString, """
            INSERT INTO dashboard.job_metrics_minute VALUES
              (@now - interval '3 days', 'a', 'default', 1, 0, 1, 1, '{}'),
              (@now - interval '1 hour', 'a', 'default', 1, 0, 1, 1, '{}');
            INSERT INTO dashboard.webhook_attempts (delivery_key, attempt, url, outcome, duration_ms, created_at) VALUES
              ('old', 1, 'http://127.0.0.1/', 'Delivered', 1, @now - interval '40 days'),
              ('new', 1, 'http://127.0.0.1/', 'Delivered', 1, @now);
            INSERT INTO dashboard.server_heartbeats (server_id, host, process_id, queues, started_at, heartbeat_at, working_set_bytes,
              cpu_percent, busy_workers, worker_count, processed, failed, average_duration_ms) VALUES
              ('gone:1:a', 'gone', 1, '{default}', @now - interval '3 days', @now - interval '2 days', 0, 0, 0, 1, 0, 0, 0),
              ('alive:2:b', 'alive', 2, '{default}', @now, @now, 0, 0, 0, 1, 0, 0, 0);
            """, Now);

        var deleted = await host.Services.GetRequiredService<PurgeExpiredDataJob>().PurgeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, deleted["job_metrics_minute"]);
        Assert.Equal(1, deleted["webhook_attempts"]);
        Assert.Equal(1, deleted["server_heartbeats"]);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM dashboard.job_metrics_minute"));
        Assert.Equal("new", await Sql.ScalarAsync<string?>(connectionString, "SELECT delivery_key FROM dashboard.webhook_attempts"));
        Assert.Equal("alive:2:b", await Sql.ScalarAsync<string?>(connectionString, "SELECT server_id FROM dashboard.server_heartbeats"));
    }

    [Fact]
    public async Task PurgeExpiredData_MoreRowsThanOneBatch_DeletesThemAll()
    {
        var (host, connectionString) = await MigratedAsync();
        using var _ = host;
        await Sql.ExecuteAsync(connectionString, $$"""
            INSERT INTO dashboard.job_metrics_hour
            SELECT @now - interval '400 days' - make_interval(hours => g), 'a', 'default', 1, 0, 1, 1, '{}'
            FROM generate_series(1, {{PurgeExpiredDataJob.BatchSize * 2 + 10}}) AS g
            """, Now);

        var deleted = await host.Services.GetRequiredService<PurgeExpiredDataJob>().PurgeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(PurgeExpiredDataJob.BatchSize * 2 + 10, deleted["job_metrics_hour"]);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM dashboard.job_metrics_hour"));
    }

    private async Task<(IHost Host, string ConnectionString)> MigratedAsync()
    {
        var connectionString = postgres.CreateDatabase();
        var host = DataServices.Build(connectionString);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return (host, connectionString);
    }
}
