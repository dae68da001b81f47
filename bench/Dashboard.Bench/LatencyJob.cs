using System.Globalization;

namespace Dashboard.Bench;

/// <summary>Prints how long ago it was enqueued; the benchmark's worker process runs it, the parent reads the line.</summary>
public sealed class LatencyJob
{
    public const string Prefix = "LATENCY_MS ";

    public void Run(long enqueuedAtUtcTicks) =>
        Console.WriteLine(Prefix + (DateTime.UtcNow - new DateTime(enqueuedAtUtcTicks, DateTimeKind.Utc)).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
}
