using System.Diagnostics;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Maintenance;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Monitoring;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Bench;

/// <summary>
/// Dashboard snapshot time at a small and a large storage: our Overview and Failed page queries against Hangfire's
/// monitoring API (what its dashboard runs for the same pages), on the same data and connection string.
/// </summary>
internal static class SnapshotSection
{
    private const int Rounds = 7;

    public static async Task RunAsync(Report report, BenchPostgres postgres, BenchSettings settings)
    {
        report.Line($"## Dashboard snapshot time, median of {Rounds} after a warm-up (ms)");
        report.Line();
        int[] sizes = [10_000, settings.Big];
        var timings = new List<Dictionary<string, double>>();
        foreach (var size in sizes)
        {
            timings.Add(await MeasureAsync(postgres, size));
            Console.Error.WriteLine($"snapshot at {size:N0} done");
        }

        var rows = timings[0].Keys.Select(name => (IReadOnlyList<string>)[
            name,
            Report.F(timings[0][name], 1),
            Report.F(timings[1][name], 1),
            Report.Ratio(timings[1][name] / timings[0][name]),
        ]);
        report.Table(["query", $"{sizes[0]:N0} jobs (10 % failed)", $"{sizes[1]:N0} jobs (10 % failed)", "large/small (target ≤ 2×)"], rows);
    }

    private static async Task<Dictionary<string, double>> MeasureAsync(BenchPostgres postgres, int size)
    {
        var connectionString = postgres.CreateDatabase($"snapshot{size}");
        using var host = HangfireThroughput.BuildHost(connectionString, "web", new Dictionary<string, string?>());
        await host.StartAsync();
        await SnapshotData.SeedAsync(connectionString, size);

        var database = host.Services.GetRequiredService<HangfireDatabase>();
        var monitoring = Options.Create(new MonitoringOptions());
        var overview = new OverviewQueries(database, new ThroughputQueries(monitoring, Options.Create(new RetentionOptions())), monitoring, TimeProvider.System);
        var search = new JobSearchQueries(database);
        var failed = new JobFilter(State: "Failed");
        var endpoint = host.Services.GetRequiredService<Dashboard.Data.Database.PostgresEndpoint>();
        var storage = new PostgreSqlStorage(
            new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(endpoint.ConnectionString, new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false }),
            new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false });
        var api = storage.GetMonitoringApi();

        var result = new Dictionary<string, double>
        {
            ["ours: Overview snapshot (OverviewQueries.Load)"] = await TimeAsync(() => Task.FromResult(overview.Load())),
            ["ours: Failed page, first 50 + capped count"] = await TimeAsync(async () =>
            {
                await search.FindAsync(failed, new JobPageRequest());
                return await search.CountAsync(failed);
            }),
            ["ours: Failed page, 20 error groups"] = await TimeAsync(() => search.GroupFailuresAsync(failed, 20)),
            ["Hangfire: GetStatistics + Queues + Servers"] = await TimeAsync(() => Task.FromResult((api.GetStatistics(), api.Queues(), api.Servers()))),
            ["Hangfire: GetStatistics alone"] = await TimeAsync(() => Task.FromResult(api.GetStatistics())),
            ["Hangfire: FailedJobs(0, 50)"] = await TimeAsync(() => Task.FromResult(api.FailedJobs(0, 50))),
        };
        await host.StopAsync();
        return result;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> query)
    {
        await query();
        var samples = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await query();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return ThroughputSection.Median(samples);
    }
}
