using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Bench;

/// <summary>
/// Enqueue→start latency across two processes on an idle system: this process enqueues one job at a time, a child
/// process (this program with <c>--latency-worker</c>) runs them and prints how late each started.
/// </summary>
internal static class LatencySection
{
    private const int Samples = 30;

    public static async Task RunAsync(Report report, BenchPostgres postgres)
    {
        report.Line($"## Enqueue→start latency across two processes, idle, {Samples} jobs one at a time (ms)");
        report.Line();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var stack in new[] { "defaults", "ours" })
        {
            var latencies = await MeasureAsync(postgres, stack);
            rows.Add([
                stack == "ours" ? "(c) our configured stack (long polling)" : "(b) Hangfire.PostgreSql defaults (15 s poll)",
                Report.F(Percentile(latencies, 0.5), 1), Report.F(Percentile(latencies, 0.99), 1), Report.F(latencies.Max(), 1),
            ]);
            Console.Error.WriteLine($"latency {stack} done");
        }

        report.Table(["stack", "p50", "p99", "max"], rows);
    }

    /// <summary>The child: a Hangfire server of the given stack until stdin closes.</summary>
    public static async Task WorkerAsync(string stack, string connectionString)
    {
        IDisposable server;
        if (stack == "ours")
        {
            var host = HangfireThroughput.BuildHost(connectionString, "worker", new Dictionary<string, string?>());
            await host.StartAsync();
            server = host;
        }
        else
        {
            var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
            server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 20 }, new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options));
        }

        Console.WriteLine("READY");
        await Console.In.ReadToEndAsync();
        server.Dispose();
    }

    private static async Task<List<double>> MeasureAsync(BenchPostgres postgres, string stack)
    {
        var connectionString = postgres.CreateDatabase("latency" + stack);
        IHost? ourClient = null;
        IBackgroundJobClient client;
        if (stack == "ours")
        {
            ourClient = HangfireThroughput.BuildHost(connectionString, "web", new Dictionary<string, string?>());
            await ourClient.StartAsync();
            client = ourClient.Services.GetRequiredService<IBackgroundJobClient>();
        }
        else
        {
            // The defaults create their schema on first use.
            client = new BackgroundJobClient(new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions()));
        }

        var latencies = new List<double>();
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--latency-worker", stack, connectionString })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var ready = new TaskCompletionSource();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "READY")
            {
                ready.TrySetResult();
            }
            else if (e.Data?.StartsWith(LatencyJob.Prefix, StringComparison.Ordinal) == true)
            {
                lock (latencies)
                {
                    latencies.Add(double.Parse(e.Data[LatencyJob.Prefix.Length..], CultureInfo.InvariantCulture));
                }
            }
        };
        child.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // Let every worker reach its idle wait, so each job meets a sleeping server.
        await Task.Delay(TimeSpan.FromSeconds(3));
        for (var i = 0; i < Samples; i++)
        {
            client.Enqueue<LatencyJob>(j => j.Run(DateTime.UtcNow.Ticks));
            await Task.Delay(TimeSpan.FromMilliseconds(300 + Random.Shared.Next(200)));
        }

        var deadline = Stopwatch.StartNew();
        while (Count(latencies) < Samples && deadline.Elapsed < TimeSpan.FromSeconds(40))
        {
            await Task.Delay(100);
        }

        child.StandardInput.Close();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ourClient is not null)
        {
            await ourClient.StopAsync();
            ourClient.Dispose();
        }

        lock (latencies)
        {
            return latencies.Count == Samples ? [.. latencies] : throw new TimeoutException($"Only {latencies.Count} of {Samples} latency jobs ran ({stack}).");
        }
    }

    private static int Count(List<double> values)
    {
        lock (values)
        {
            return values.Count;
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
