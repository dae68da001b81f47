using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Model;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dashboard.Bench;

/// <summary>
/// Peak memory of the built app (src/Web, Release) run as its own process in the default <c>web,worker</c> role while
/// it drains diagnostics jobs enqueued from this process and /metrics is scraped every 2 s (a live snapshot).
/// </summary>
internal static partial class WebProcessSection
{
    public static async Task RunAsync(Report report, BenchPostgres postgres, BenchSettings settings)
    {
        var jobs = settings.Jobs;
        report.Line($"## Web process under load: the built app (web,worker) drains {jobs:N0} diagnostics jobs");
        report.Line();
        var connectionString = postgres.CreateDatabase("webprocess");
        var output = Path.Combine(RepositoryRoot(), "src", "Web", "bin", "Release", "net10.0");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(output, "Dashboard.Web.dll"));
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Dashboard__Security__HttpsRedirection"] = "false";
        using var app = Process.Start(start)!;
        var url = new TaskCompletionSource<Uri>();
        app.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } m)
            {
                url.TrySetResult(new Uri(m.Groups["url"].Value));
            }
        };
        app.ErrorDataReceived += (_, _) => { };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = await url.Task.WaitAsync(TimeSpan.FromSeconds(90)) };
            var idleRss = PeakRss(app.Id);
            using var client = HangfireThroughput.BuildHost(connectionString, "web", new Dictionary<string, string?>());
            await client.StartAsync();
            var enqueuer = client.Services.GetRequiredService<JobEnqueuer>();
            var descriptor = client.Services.GetRequiredService<JobCatalog>().Find(typeof(DiagnosticsJob))!;
            var clock = Stopwatch.StartNew();
            Parallel.For(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => enqueuer.Enqueue(descriptor, new DiagnosticsArgs()));
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var done = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded'", connection);
            while ((long)(await done.ExecuteScalarAsync())! < jobs && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).EnsureSuccessStatusCode();
                await Task.Delay(TimeSpan.FromSeconds(2));
            }

            var rate = jobs / clock.Elapsed.TotalSeconds;
            await client.StopAsync();
            report.Table(
                ["peak RSS (VmHWM) after start-up", "peak RSS under load (target ≤ 400 MB)", "enqueue + drain jobs/s"],
                [[Mb(idleRss), Mb(PeakRss(app.Id)), Report.F(rate)]]);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static long PeakRss(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private static string Mb(long bytes) => Report.F(bytes / 1024.0 / 1024.0) + " MB";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
