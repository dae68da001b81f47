using Dashboard.Web.Components.Shared;
using Dashboard.Data.Database;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Maintenance;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Hosting;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Bench;

/// <summary>
/// Throughput of our stack while dashboards are open, on a storage with history: none; 20 live Overview sessions
/// (20 subscribers to the one per-process <see cref="OverviewSnapshotService"/>); 20 tabs of Hangfire's dashboard,
/// each polling GetStatistics every 2 s as its pages do.
/// </summary>
internal static class SessionsSection
{
    private const int Sessions = 20;
    private const int History = 200_000;

    public static async Task RunAsync(Report report, BenchPostgres postgres, BenchSettings settings)
    {
        report.Line($"## Throughput with dashboards open: {settings.LeverJobs:N0} jobs drained on top of {History:N0} jobs of history");
        report.Line();
        var timeout = TimeSpan.FromMinutes(3);
        var rows = new List<IReadOnlyList<string>>();
        for (var run = 1; run <= settings.Repeat; run++)
        {
            var none = await HangfireThroughput.OursAsync(postgres, settings.LeverJobs, StackVariant.Ours("no dashboard") with { SeedJobs = History }, timeout);
            var ours = await HangfireThroughput.OursAsync(postgres, settings.LeverJobs, StackVariant.Ours($"{Sessions} live Overview sessions (ours)") with
            {
                SeedJobs = History,
                Background = OurSessionsAsync,
            }, timeout);
            var theirs = await HangfireThroughput.OursAsync(postgres, settings.LeverJobs, StackVariant.Ours($"{Sessions} Hangfire dashboard tabs") with
            {
                SeedJobs = History,
                Background = HangfireTabsAsync,
            }, timeout);
            foreach (var r in new[] { none, ours, theirs })
            {
                rows.Add([
                    run.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Name, ThroughputSection.Rate(r),
                    Report.Ratio(r.DrainPerSecond / none.DrainPerSecond), Report.F(r.StatementsPerJob, 1),
                ]);
            }

            Console.Error.WriteLine($"sessions run {run} done");
        }

        report.Table(["run", "dashboards", "drain jobs/s", "vs none (target ≥ 0.95×)", "statements/job"], rows);
    }

    private static async Task OurSessionsAsync(IHost worker, CancellationToken stop)
    {
        var database = worker.Services.GetRequiredService<HangfireDatabase>();
        var monitoring = Options.Create(new MonitoringOptions());
        var queries = new OverviewQueries(database, new ThroughputQueries(monitoring, Options.Create(new RetentionOptions())), monitoring, TimeProvider.System);
        var analysis = new LiveAnalysis(monitoring, new ScalingAdvisor(Options.Create(new ScalingOptions())));
        using var service = new OverviewSnapshotService(queries, analysis, Options.Create(new UiOptions()), TimeProvider.System,
            new ReadFailures(worker.Services.GetRequiredService<IOptions<DatabaseOptions>>(), NullLogger<ReadFailures>.Instance),
            NullLogger<OverviewSnapshotService>.Instance);
        var pushes = 0;
        var subscriptions = Enumerable.Range(0, Sessions)
            .Select(_ => service.Subscribe(_ =>
            {
                Interlocked.Increment(ref pushes);
                return Task.CompletedTask;
            }))
            .ToList();
        await service.StartAsync(CancellationToken.None);
        await WaitAsync(stop);
        await service.StopAsync(CancellationToken.None);
        subscriptions.ForEach(s => s.Dispose());
        if (pushes < Sessions)
        {
            throw new InvalidOperationException("The snapshot service pushed nothing to its sessions: the run measured no dashboard.");
        }
    }

    private static async Task HangfireTabsAsync(IHost worker, CancellationToken stop)
    {
        var api = worker.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async tab =>
        {
            // Tabs opened at different moments poll out of step, as real ones do.
            await Task.Delay(TimeSpan.FromMilliseconds(tab * 100), CancellationToken.None);
            while (!stop.IsCancellationRequested)
            {
                await Task.Run(api.GetStatistics, CancellationToken.None);
                await WaitAsync(stop, TimeSpan.FromSeconds(2));
            }
        }));
    }

    private static async Task WaitAsync(CancellationToken stop, TimeSpan? delay = null)
    {
        try
        {
            await Task.Delay(delay ?? Timeout.InfiniteTimeSpan, stop);
        }
        catch (OperationCanceledException)
        {
            // The drain finished.
        }
    }
}
