namespace Dashboard.Bench;

/// <summary>
/// Priority 2 and 3 of issue 7: (a) bare queue vs (b) Hangfire.PostgreSql defaults vs (c) our stack, side by side
/// and repeated, then one lever at a time against (c) in the same run.
/// </summary>
internal static class ThroughputSection
{
    private static readonly string[] Header =
        ["run", "scenario", "enqueue jobs/s", "drain jobs/s", "statements/job (enqueue)", "statements/job (total)", "commits/job (total)"];

    public static async Task<ThroughputResult> CompareAsync(Report report, BenchPostgres postgres, BenchSettings settings)
    {
        report.Line($"## End-to-end throughput: {settings.Jobs:N0} no-op jobs, {settings.Workers} workers, enqueue then drain");
        report.Line();
        var results = new List<(int Run, ThroughputResult Result)>();
        for (var run = 1; run <= settings.Repeat; run++)
        {
            results.Add((run, await BareQueue.RunAsync(postgres, settings.Jobs, settings.Workers, settings.Timeout)));
            results.Add((run, await HangfireThroughput.DefaultsAsync(postgres, settings.Jobs, settings.Workers, settings.Timeout)));
            results.Add((run, await HangfireThroughput.OursAsync(postgres, settings.Jobs, StackVariant.Ours(), settings.Timeout)));
            Console.Error.WriteLine($"throughput run {run} done");
        }

        report.Table(Header, results.Select(r => Row(r.Run.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Result)));

        var medians = results.GroupBy(r => r.Result.Name).ToDictionary(g => g.Key, g => Median(g.Select(r => r.Result.DrainPerSecond)));
        var bare = medians.Single(m => m.Key.StartsWith("(a)", StringComparison.Ordinal)).Value;
        var defaults = medians.Single(m => m.Key.StartsWith("(b)", StringComparison.Ordinal)).Value;
        var ours = medians.Single(m => m.Key.StartsWith("(c)", StringComparison.Ordinal)).Value;
        report.Table(
            ["median drain jobs/s (a) bare", "(b) defaults", "(c) ours", "c/b (target ≥ 2×)", "c/a"],
            [[Report.F(bare), Report.F(defaults), Report.F(ours), Report.Ratio(ours / defaults), Report.Ratio(ours / bare)]]);
        var spread = results.GroupBy(r => r.Result.Name)
            .Select(g => $"{g.Key}: {Report.F(g.Min(r => r.Result.DrainPerSecond))}–{Report.F(g.Max(r => r.Result.DrainPerSecond))}");
        report.Line("Spread of drain rate over the runs: " + string.Join("; ", spread) + ".");
        report.Line();
        foreach (var last in results.Where(r => r.Run == settings.Repeat && !r.Result.Name.StartsWith("(a)", StringComparison.Ordinal)))
        {
            report.Line($"Most frequent statements per job, {last.Result.Name} (enqueue + drain):");
            report.Line();
            report.Table(["per job", "statement"], postgres.TopStatements(last.Result.ConnectionString, 14)
                .Select(t => (IReadOnlyList<string>)[Report.F((double)t.Calls / settings.Jobs, 2), "`" + Shorten(t.Query) + "`"]));
        }
        return results.Last(r => r.Result.Name.StartsWith("(c)", StringComparison.Ordinal)).Result;
    }

    private static readonly TimeSpan LeverTimeout = TimeSpan.FromSeconds(90);

    public static async Task LeversAsync(Report report, BenchPostgres postgres, BenchSettings settings)
    {
        report.Line($"## Levers: one change at a time against (c), {settings.LeverJobs:N0} jobs");
        report.Line();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var variant in Levers.All().Where(v => settings.OnlyLever is null || v.Name.Contains(settings.OnlyLever, StringComparison.OrdinalIgnoreCase)))
        {
            var baseline = await HangfireThroughput.OursAsync(postgres, settings.LeverJobs, StackVariant.Ours("(c) as configured"), LeverTimeout);
            var changed = await HangfireThroughput.OursAsync(postgres, settings.LeverJobs, variant, LeverTimeout);
            rows.Add([
                variant.Name,
                ThroughputSection.Rate(baseline),
                ThroughputSection.Rate(changed),
                Report.Ratio(changed.DrainPerSecond / baseline.DrainPerSecond),
                Report.F(baseline.StatementsPerJob, 1) + " → " + Report.F(changed.StatementsPerJob, 1),
                Report.F(baseline.CommitsPerJob, 2) + " → " + Report.F(changed.CommitsPerJob, 2),
                Report.F(baseline.EnqueuePerSecond) + " → " + Report.F(changed.EnqueuePerSecond),
            ]);
            Console.Error.WriteLine($"lever {variant.Name} done");
        }

        report.Table(["lever (vs configured)", "configured jobs/s", "changed jobs/s", "changed/configured", "statements/job", "commits/job", "enqueue jobs/s"], rows);
    }

    private static IReadOnlyList<string> Row(string run, ThroughputResult r) =>
    [
        run, r.Name, Report.F(r.EnqueuePerSecond), Rate(r),
        Report.F(r.EnqueueStatementsPerJob, 1), Report.F(r.StatementsPerJob, 1), Report.F(r.CommitsPerJob, 2),
    ];

    private static string Shorten(string query) => (query.Length > 150 ? query[..150] + "…" : query).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The drain rate, with a stall named next to it (the rate is then over the jobs that ran).</summary>
    public static string Rate(ThroughputResult r) => r.Stalled is null ? Report.F(r.DrainPerSecond) : $"{Report.F(r.DrainPerSecond)} ({r.Stalled})";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
