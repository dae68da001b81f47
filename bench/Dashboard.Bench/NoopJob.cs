using System.Diagnostics;

namespace Dashboard.Bench;

/// <summary>
/// The job every throughput scenario runs: it does nothing but note that it ran, so what is measured is the queue.
/// </summary>
public sealed class NoopJob
{
    private static long _runs;
    private static long _firstStartTicks;

    public static long Runs => Interlocked.Read(ref _runs);

    /// <summary>Stopwatch timestamp of the first run since <see cref="Reset"/>, 0 before any.</summary>
    public static long FirstStartTicks => Interlocked.Read(ref _firstStartTicks);

    public static void Reset()
    {
        Interlocked.Exchange(ref _runs, 0);
        Interlocked.Exchange(ref _firstStartTicks, 0);
    }

    public void Run()
    {
        Interlocked.CompareExchange(ref _firstStartTicks, Stopwatch.GetTimestamp(), 0);
        Interlocked.Increment(ref _runs);
    }
}
