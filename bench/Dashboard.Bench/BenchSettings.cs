using System.Globalization;

namespace Dashboard.Bench;

/// <summary>Command line: <c>--jobs N --lever-jobs N --workers N --repeat N --big N --sections a,b --only lever --no-fsync --out file</c>.</summary>
internal sealed record BenchSettings
{
    public int Jobs { get; init; } = 5000;

    /// <summary>Jobs per run for the levers and the dashboard-sessions runs, which are many.</summary>
    public int LeverJobs { get; init; } = 2000;

    public int Workers { get; init; } = 20;

    public int Repeat { get; init; } = 2;

    /// <summary>Jobs in storage for the large dashboard snapshot.</summary>
    public int Big { get; init; } = 1_000_000;

    public bool Durable { get; init; } = true;

    /// <summary>Runs only the levers whose name contains this text (for bisecting one setting).</summary>
    public string? OnlyLever { get; init; }

    /// <summary>Where the tables are written; bench/.gitignore keeps the default out of commits.</summary>
    public string Output { get; init; } = Path.Combine(Directory.Exists("bench") ? "bench" : ".", "last-run.md");

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    public HashSet<string> Sections { get; init; } = new(StringComparer.OrdinalIgnoreCase) { "throughput", "mixed", "levers", "snapshot", "latency", "sessions", "web" };

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--jobs" => settings with { Jobs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--lever-jobs" => settings with { LeverJobs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--workers" => settings with { Workers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--repeat" => settings with { Repeat = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--big" => settings with { Big = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--sections" => settings with { Sections = new(Next().Split(','), StringComparer.OrdinalIgnoreCase) },
                "--only" => settings with { OnlyLever = Next() },
                "--no-fsync" => settings with { Durable = false },
                "--out" => settings with { Output = Next() },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        return settings;
    }
}
