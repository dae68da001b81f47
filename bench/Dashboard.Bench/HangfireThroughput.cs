using System.Diagnostics;
using Dashboard.Data;
using Dashboard.Jobs;
using Dashboard.Jobs.Metrics;
using Hangfire;
using Hangfire.PostgreSql.Factories;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dashboard.Bench;

/// <summary>One configuration of our stack: configuration keys over appsettings.json, and database-level settings.</summary>
internal sealed record StackVariant(string Name, IReadOnlyDictionary<string, string?> Settings, string[] DatabaseSettings)
{
    public bool ExecutionMetrics { get; init; } = true;

    /// <summary>Hangfire's StatisticsHistoryAttribute: the per-day and per-hour counters behind /hangfire's graphs.</summary>
    public bool StatisticsHistory { get; init; } = true;

    /// <summary>SQL run on the database after the schema is installed (an index Hangfire.PostgreSql lacks).</summary>
    public string? ExtraSql { get; init; }

    /// <summary>Jobs of history written into storage before the run (none in the queue).</summary>
    public int SeedJobs { get; init; }

    /// <summary>Load running while the worker drains (dashboard sessions): started on the web role's host, before the drain.</summary>
    public Func<IHost, CancellationToken, Task>? Background { get; init; }

    public static StackVariant Ours(string name = "(c) our configured stack") => new(name, new Dictionary<string, string?>(), []);
}

/// <summary>Enqueue N no-op jobs with no server running, then start one server and time the drain.</summary>
internal static class HangfireThroughput
{
    /// <summary>The process-wide filter list as Hangfire ships it, captured before any of our hosts changes it.</summary>
    private static readonly List<object> HangfireDefaultFilters = [];

    /// <summary>No job finishing for this long, with some left, means the rest are stuck (no-op jobs take microseconds).</summary>
    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(15);

    /// <summary>Call before the first host of ours is built.</summary>
    public static void CaptureHangfireDefaults() => HangfireDefaultFilters.AddRange(GlobalJobFilters.Filters.Select(f => f.Instance));

    public static async Task<ThroughputResult> DefaultsAsync(BenchPostgres postgres, int jobs, int workers, TimeSpan timeout)
    {
        RestoreHangfireDefaults();
        var connectionString = postgres.CreateDatabase("defaults");
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions());
        var before = postgres.Counters(connectionString);
        var enqueueRate = Enqueue(new BackgroundJobClient(storage), jobs, workers);
        var afterEnqueue = await postgres.SettledCountersAsync(connectionString);

        NoopJob.Reset();
        double drainRate;
        string? stalled;
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers }, storage))
        {
            (drainRate, stalled) = await WaitForDrainAsync(connectionString, "hangfire", jobs, timeout);
        }

        var after = await postgres.SettledCountersAsync(connectionString);
        return new ThroughputResult("(b) Hangfire.PostgreSql defaults", jobs, enqueueRate, drainRate, afterEnqueue - before, after - before, connectionString) { Stalled = stalled };
    }

    public static async Task<ThroughputResult> OursAsync(BenchPostgres postgres, int jobs, StackVariant variant, TimeSpan timeout)
    {
        var connectionString = postgres.CreateDatabase("ours", variant.DatabaseSettings);
        ServerCounters before, afterEnqueue;
        double enqueueRate;
        using (var client = BuildHost(connectionString, "web", variant.Settings))
        {
            // Starting the web role migrates: the dashboard schema and Hangfire's, under the advisory lock.
            await client.StartAsync();
            if (variant.SeedJobs > 0)
            {
                await SnapshotData.SeedAsync(connectionString, variant.SeedJobs, queued: false);
            }

            if (variant.ExtraSql is not null)
            {
                await ExecuteAsync(connectionString, variant.ExtraSql);
            }

            before = postgres.Counters(connectionString);
            var workerCount = int.Parse(client.Services.GetRequiredService<IConfiguration>()["Dashboard:Hangfire:WorkerCount"] ?? "20", System.Globalization.CultureInfo.InvariantCulture);
            enqueueRate = Enqueue(client.Services.GetRequiredService<IBackgroundJobClient>(), jobs, workerCount);
            await client.StopAsync();
        }

        afterEnqueue = await postgres.SettledCountersAsync(connectionString);
        NoopJob.Reset();
        double drainRate;
        string? stalled;
        using (var worker = BuildHost(connectionString, "worker", variant.Settings))
        {
            await worker.StartAsync();
            var metricsFilter = worker.Services.GetRequiredService<ExecutionMetricsFilter>();
            if (!variant.ExecutionMetrics)
            {
                GlobalJobFilters.Filters.Remove(metricsFilter);
            }

            var history = GlobalJobFilters.Filters.Select(f => f.Instance).OfType<StatisticsHistoryAttribute>().ToList();
            if (!variant.StatisticsHistory)
            {
                history.ForEach(GlobalJobFilters.Filters.Remove);
            }

            using var backgroundStop = new CancellationTokenSource();
            var background = variant.Background?.Invoke(worker, backgroundStop.Token) ?? Task.CompletedTask;
            // A stall is reported rather than thrown: a configuration that strands jobs is a result too.
            (drainRate, stalled) = await WaitForDrainAsync(connectionString, "hangfire", jobs, timeout);

            await backgroundStop.CancelAsync();
            await background;
            if (!variant.StatisticsHistory)
            {
                history.ForEach(f => GlobalJobFilters.Filters.Add(f));
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await worker.StopAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stalled is not null)
            {
                // A stalled worker may not stop in time either; the run is already reported as stalled.
            }
        }

        var after = await postgres.SettledCountersAsync(connectionString);
        return new ThroughputResult(variant.Name, jobs, enqueueRate, drainRate, afterEnqueue - before, after - before, connectionString) { Stalled = stalled };
    }

    /// <summary>The app's data and job services as Program.cs registers them, for one role.</summary>
    public static IHost BuildHost(string connectionString, string roles, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Dashboard:Roles"] = roles,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Hangfire"] = "Warning",
            // Recurring maintenance would fire at random points of a run; it is not part of the job path measured.
            ["Dashboard:Recurring:aggregate-metrics:Enabled"] = "false",
            ["Dashboard:Recurring:purge-expired-data:Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.AddDashboardData();
        builder.AddDashboardJobs();
        return builder.Build();
    }

    private static double Enqueue(IBackgroundJobClient client, int jobs, int parallelism)
    {
        // The enqueuers block on the database; without enough pool threads up front, the pool adds them about one a
        // second and the first scenario of a run enqueued at a third of the rate of the same scenario run again
        // (measured: 375 against 1,213 jobs/s, identical settings). A web server's request threads are warm.
        ThreadPool.GetMinThreads(out var workerThreads, out var ioThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, parallelism + 4), ioThreads);
        try
        {
            var clock = Stopwatch.StartNew();
            Parallel.For(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, _ => client.Enqueue<NoopJob>(j => j.Run()));
            return jobs / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            ThreadPool.SetMinThreads(workerThreads, ioThreads);
        }
    }

    /// <summary>
    /// Rate from the first job's start until the queue table is empty (the last job's Succeeded state committed).
    /// The database is polled only once every job has run, so polling adds no statements to the drain. When no job
    /// has run for <see cref="StallAfter"/> the drain is stalled: the rate is then over the jobs that did run.
    /// </summary>
    private static async Task<(double Rate, string? Stalled)> WaitForDrainAsync(string connectionString, string schema, int jobs, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (NoopJob.Runs < jobs)
        {
            var quiet = NoopJob.LastEndTicks == 0 ? deadline.Elapsed : Stopwatch.GetElapsedTime(NoopJob.LastEndTicks);
            if (deadline.Elapsed > timeout || (NoopJob.Runs > 0 && quiet > StallAfter))
            {
                var ran = NoopJob.Runs;
                var rate = ran == 0 ? double.NaN : ran / Stopwatch.GetElapsedTime(NoopJob.FirstStartTicks, NoopJob.LastEndTicks).TotalSeconds;
                return (rate, $"stalled: {jobs - ran:N0} of {jobs:N0} never started");
            }

            await Task.Delay(5);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var empty = new NpgsqlCommand($"SELECT NOT EXISTS (SELECT 1 FROM {schema}.jobqueue)", connection);
        while (!(bool)(await empty.ExecuteScalarAsync())!)
        {
            if (deadline.Elapsed > timeout)
            {
                return (double.NaN, "the queue table did not empty in time");
            }

            await Task.Delay(5);
        }

        return (jobs / Stopwatch.GetElapsedTime(NoopJob.FirstStartTicks).TotalSeconds, null);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Our hosts change process-wide Hangfire state: the filter list, and the job activator and log provider, which
    /// point into a host that has since been disposed. The defaults scenario must run with Hangfire's own.
    /// </summary>
    internal static void RestoreHangfireDefaults()
    {
        JobActivator.Current = new JobActivator();
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        foreach (var filter in GlobalJobFilters.Filters.Select(f => f.Instance).ToList())
        {
            GlobalJobFilters.Filters.Remove(filter);
        }

        foreach (var filter in HangfireDefaultFilters)
        {
            GlobalJobFilters.Filters.Add(filter);
        }
    }
}
