using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Bench;

/// <summary>
/// The jobs of the steady mixed load: most return at once, a quarter wait 10 ms as if on I/O, one in twenty throws
/// (and goes through the stack's retry policy, so its retries are runs too). Every run is counted; the jobs that never
/// fail note how long after their enqueue they started.
/// </summary>
public sealed class MixedJob
{
    private static long _runs;
    private static ConcurrentQueue<double> _latencies = new();

    public static long Runs => Interlocked.Read(ref _runs);

    public static void Reset()
    {
        Interlocked.Exchange(ref _runs, 0);
        _latencies = new ConcurrentQueue<double>();
    }

    /// <summary>The start latencies (ms) noted since the last call.</summary>
    public static List<double> TakeLatencies() => [.. Interlocked.Exchange(ref _latencies, new ConcurrentQueue<double>())];

    public void Quick(long enqueuedAt) => Started(enqueuedAt);

    public void Io(long enqueuedAt, int milliseconds)
    {
        Started(enqueuedAt);
        Thread.Sleep(milliseconds);
    }

    // Its retries keep the first enqueue's timestamp, so its start latency would measure the retry delay: not noted.
    public void Fail(long enqueuedAt)
    {
        _ = enqueuedAt;
        Interlocked.Increment(ref _runs);
        throw new InvalidOperationException("Mixed load: this job always fails.");
    }

    private static void Started(long enqueuedAt)
    {
        Interlocked.Increment(ref _runs);
        _latencies.Enqueue(Stopwatch.GetElapsedTime(enqueuedAt).TotalMilliseconds);
    }
}

/// <summary>
/// Throughput under a steady mixed load: producers enqueue continuously while one server (20 workers) runs the mix, so
/// enqueuing and processing compete, as in production. Counted over a fixed window after a warm-up; the backlog may
/// grow, so the start latency shown is that of a saturated system, not of an idle one (the latency section).
/// </summary>
internal static class MixedLoadSection
{
    private const int Producers = 4;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(Report report, BenchPostgres postgres, BenchSettings settings)
    {
        report.Line($"## Steady mixed load: {Producers} producers enqueue while one server with {settings.Workers} workers runs the mix, {Window.TotalSeconds:0} s counted after {WarmUp.TotalSeconds:0} s");
        report.Line();
        var rows = new List<IReadOnlyList<string>>();
        var ratios = new List<double>();
        for (var run = 1; run <= settings.Repeat; run++)
        {
            var stock = await DefaultsAsync(postgres, settings.Workers);
            var ours = await OursAsync(postgres);
            ratios.Add(ours.RunsPerSecond / stock.RunsPerSecond);
            foreach (var r in new[] { stock, ours })
            {
                rows.Add([
                    run.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Name, Report.F(r.EnqueuedPerSecond), Report.F(r.RunsPerSecond),
                    Report.F(r.P50, 1), Report.F(r.P99, 1),
                ]);
            }

            Console.Error.WriteLine($"mixed run {run} done");
        }

        report.Table(["run", "stack", "enqueued jobs/s", "runs/s (target ≥ 2× (b))", "start latency p50 (ms)", "p99 (ms)"], rows);
        report.Line($"Runs/s, (c)/(b): {string.Join(", ", ratios.Select(Report.Ratio))} (median {Report.Ratio(ThroughputSection.Median(ratios))}).");
        report.Line();
    }

    private static async Task<MixedResult> DefaultsAsync(BenchPostgres postgres, int workers)
    {
        HangfireThroughput.RestoreHangfireDefaults();
        var connectionString = postgres.CreateDatabase("mixed-defaults");
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions());
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers }, storage);
        return await MeasureAsync("(b) Hangfire.PostgreSql defaults", new BackgroundJobClient(storage));
    }

    private static async Task<MixedResult> OursAsync(BenchPostgres postgres)
    {
        var connectionString = postgres.CreateDatabase("mixed-ours");
        // The failing twentieth of the mix would log a warning per failure.
        var settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error", ["Logging:LogLevel:Hangfire"] = "Error" };
        // The web role migrates and enqueues; the worker role runs the jobs (as in OursAsync of the drain).
        using var web = HangfireThroughput.BuildHost(connectionString, "web", settings);
        await web.StartAsync();
        using var worker = HangfireThroughput.BuildHost(connectionString, "worker", settings);
        await worker.StartAsync();
        try
        {
            return await MeasureAsync("(c) our configured stack", web.Services.GetRequiredService<IBackgroundJobClient>());
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await worker.StopAsync(stop.Token);
            await web.StopAsync(stop.Token);
        }
    }

    private static async Task<MixedResult> MeasureAsync(string name, IBackgroundJobClient client)
    {
        MixedJob.Reset();
        long enqueued = 0;
        using var stop = new CancellationTokenSource();
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Factory.StartNew(() =>
        {
            for (var i = p; !stop.IsCancellationRequested; i += Producers)
            {
                var now = Stopwatch.GetTimestamp();
                _ = (i % 20) switch
                {
                    0 => client.Enqueue<MixedJob>(j => j.Fail(now)),
                    <= 5 => client.Enqueue<MixedJob>(j => j.Io(now, 10)),
                    _ => client.Enqueue<MixedJob>(j => j.Quick(now)),
                };
                Interlocked.Increment(ref enqueued);
            }
        }, TaskCreationOptions.LongRunning)).ToList();

        await Task.Delay(WarmUp);
        var (runsBefore, enqueuedBefore) = (MixedJob.Runs, Interlocked.Read(ref enqueued));
        MixedJob.TakeLatencies();
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window);
        var (runsAfter, enqueuedAfter, seconds) = (MixedJob.Runs, Interlocked.Read(ref enqueued), clock.Elapsed.TotalSeconds);
        var latencies = MixedJob.TakeLatencies();
        await stop.CancelAsync();
        await Task.WhenAll(producers);
        latencies.Sort();
        return new MixedResult(
            name,
            (enqueuedAfter - enqueuedBefore) / seconds,
            (runsAfter - runsBefore) / seconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p * sorted.Count))];

    private sealed record MixedResult(string Name, double EnqueuedPerSecond, double RunsPerSecond, double P50, double P99);
}
