using System.Globalization;
using Dashboard.Bench;

// The benchmark of bench/RESULTS.md: one private PostgreSQL, a fresh database per scenario, every comparison side by
// side in one run so the ratios hold even when the shared machine is noisy (DESIGN.md §10).
if (args is ["--latency-worker", var stack, var connectionString])
{
    await LatencySection.WorkerAsync(stack, connectionString);
    return;
}

var settings = BenchSettings.Parse(args);
HangfireThroughput.CaptureHangfireDefaults();
var report = new Report(Path.GetFullPath(settings.Output));
using var postgres = BenchPostgres.Start(settings.Durable);
report.Line($"# Benchmark run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
report.Line();
report.Line($"`dotnet run -c Release --project bench/Dashboard.Bench -- {string.Join(' ', args)}`");
report.Line();
report.Line($"Machine: {Environment.ProcessorCount} cores, PostgreSQL {postgres.Version} (private, fsync {(settings.Durable ? "on" : "off")}), .NET {Environment.Version}.");
report.Line();

if (settings.Sections.Contains("throughput"))
{
    await ThroughputSection.CompareAsync(report, postgres, settings);
}

if (settings.Sections.Contains("mixed"))
{
    await MixedLoadSection.RunAsync(report, postgres, settings);
}

if (settings.Sections.Contains("levers"))
{
    await ThroughputSection.LeversAsync(report, postgres, settings);
}

if (settings.Sections.Contains("snapshot"))
{
    await SnapshotSection.RunAsync(report, postgres, settings);
}

if (settings.Sections.Contains("sessions"))
{
    await SessionsSection.RunAsync(report, postgres, settings);
}

if (settings.Sections.Contains("web"))
{
    await WebProcessSection.RunAsync(report, postgres, settings);
}

if (settings.Sections.Contains("latency"))
{
    await LatencySection.RunAsync(report, postgres);
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Written to {settings.Output}"));
