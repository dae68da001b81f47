using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Model;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs;

/// <summary>Queues, metrics and heartbeats of a running worker, on real PostgreSQL.</summary>
public sealed class WorkerBehaviourTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Queues_OneBusyWorker_TakesCriticalThenDefaultThenLow()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?>
        {
            ["Dashboard:Hangfire:WorkerCount"] = "1",
        });
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var enqueuer = app.Services.GetRequiredService<JobEnqueuer>();
        var diagnostics = app.Services.GetRequiredService<JobCatalog>().Find("diagnostics")!;
        var storage = app.Services.GetRequiredService<JobStorage>();

        // Keep the only worker busy while the three jobs queue up, lowest priority first.
        var blocker = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(2_000, 0, 0), CancellationToken.None));
        await JobStates.WaitForStateAsync(storage, blocker, ProcessingState.StateName, TimeSpan.FromSeconds(20));
        var low = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "low");
        var normal = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "default");
        var critical = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "critical");

        foreach (var id in new[] { low, normal, critical })
        {
            await JobStates.WaitForStateAsync(storage, id, SucceededState.StateName, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(
            ["critical", "default", "low"],
            new[] { critical, normal, low }.Select(id => JobStates.History(storage, id).First(h => h.StateName == EnqueuedState.StateName).Data["Queue"]));
        var started = new[] { critical, normal, low }
            .Select(id => JobStates.History(storage, id).First(h => h.StateName == ProcessingState.StateName).CreatedAt)
            .ToList();
        Assert.True(started[0] <= started[1] && started[1] <= started[2], $"start order critical/default/low: {string.Join(", ", started.Select(s => s.ToString("O")))}");
    }

    [Fact]
    public async Task Worker_RunsJobs_FlushesMetricsAndRichHeartbeatInBatches()
    {
        var connectionString = postgres.CreateDatabase();
        var app = new DashboardFactory(connectionString, new Dictionary<string, string?>
        {
            ["Dashboard:Metrics:FlushInterval"] = "00:00:01",
            ["Dashboard:Retry:MaxDelay"] = "00:00:01",
        });
        string serverId;
        try
        {
            var client = app.Services.GetRequiredService<IBackgroundJobClient>();
            var storage = app.Services.GetRequiredService<JobStorage>();
            var ids = Enumerable.Range(0, 5).Select(_ => client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(20, 0, 0), CancellationToken.None))).ToList();
            // Fails once, then succeeds: one failed and one successful execution.
            ids.Add(client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(0, 2, 0), CancellationToken.None)));
            foreach (var id in ids)
            {
                await JobStates.WaitForStateAsync(storage, id, SucceededState.StateName, TimeSpan.FromSeconds(30));
            }

            serverId = storage.GetMonitoringApi().Servers().Single().Name;
            await Poll.UntilAsync(
                async () => await Sql.ScalarAsync<long>(connectionString, "SELECT coalesce(sum(executions), 0) FROM dashboard.job_metrics_minute WHERE job_type = 'diagnostics'") == 7,
                TimeSpan.FromSeconds(15),
                "7 diagnostics executions in job_metrics_minute");

            Assert.Equal(1L, await Sql.ScalarAsync<long>(connectionString, "SELECT sum(failures) FROM dashboard.job_metrics_minute WHERE job_type = 'diagnostics'"));
            Assert.Equal(7L, await Sql.ScalarAsync<long>(connectionString, "SELECT sum(h) FROM dashboard.job_metrics_minute, unnest(histogram) AS h WHERE job_type = 'diagnostics'"));
            Assert.True(await Sql.ScalarAsync<double>(connectionString, "SELECT max(duration_max_ms) FROM dashboard.job_metrics_minute") >= 20);
            await Poll.UntilAsync(
                async () => await Sql.ScalarAsync<long>(connectionString, $"SELECT coalesce(max(processed), 0) FROM dashboard.server_heartbeats WHERE server_id = '{serverId}'") == 7,
                TimeSpan.FromSeconds(15),
                "the heartbeat to count 7 processed jobs");
            Assert.Equal(1L, await Sql.ScalarAsync<long>(connectionString, $"SELECT failed FROM dashboard.server_heartbeats WHERE server_id = '{serverId}'"));
            Assert.Equal(4, await Sql.ScalarAsync<int>(connectionString, $"SELECT worker_count FROM dashboard.server_heartbeats WHERE server_id = '{serverId}'"));
            Assert.True(await Sql.ScalarAsync<long>(connectionString, $"SELECT working_set_bytes FROM dashboard.server_heartbeats WHERE server_id = '{serverId}'") > 0);
            Assert.True(await Sql.ScalarAsync<bool>(connectionString, $"SELECT stopped_at IS NULL FROM dashboard.server_heartbeats WHERE server_id = '{serverId}'"));
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.True(await Sql.ScalarAsync<bool>(connectionString, $"SELECT stopped_at IS NOT NULL FROM dashboard.server_heartbeats WHERE server_id = '{serverId}'"));
    }

    [Fact]
    public async Task Recurring_Registrar_DeclaresMaintenanceJobsWithConfiguredCronAndZone()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?>
        {
            ["Dashboard:Recurring:aggregate-metrics:Cron"] = "*/10 * * * *",
            ["Dashboard:Recurring:purge-expired-data:TimeZone"] = "Europe/Berlin",
        });
        var storage = app.Services.GetRequiredService<JobStorage>();

        using var connection = storage.GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).ToDictionary(j => j.Id);

        Assert.Equal("*/10 * * * *", jobs["aggregate-metrics"].Cron);
        Assert.Equal("UTC", jobs["aggregate-metrics"].TimeZoneId);
        Assert.Equal("17 3 * * *", jobs["purge-expired-data"].Cron);
        Assert.Equal("Europe/Berlin", jobs["purge-expired-data"].TimeZoneId);
    }
}
