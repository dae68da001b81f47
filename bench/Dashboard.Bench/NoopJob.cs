using System.Diagnostics;

namespace Dashboard.Bench;

/// <summary>
/// The job every throughput scenario runs: it does nothing but note that it ran, so what is measured is the queue.
/// </summary>
public sealed class NoopJob
{
    private static long _runs;
    private static long _firstStartTicks;
    private static long _lastEndTicks;

    public static long Runs => Interlocked.Read(ref _runs);

    /// <summary>Stopwatch timestamp of the first run since <see cref="Reset"/>, 0 before any.</summary>
    public static long FirstStartTicks => Interlocked.Read(ref _firstStartTicks);

    /// <summary>Stopwatch timestamp of the latest run.</summary>
    public static long LastEndTicks => Interlocked.Read(ref _lastEndTicks);

    public static void Reset()
    {
        Interlocked.Exchange(ref _lastEndTicks, 0);
        Interlocked.Exchange(ref _runs, 0);
        Interlocked.Exchange(ref _firstStartTicks, 0);
    }

    public void Run()
    {
        Interlocked.CompareExchange(ref _firstStartTicks, Stopwatch.GetTimestamp(), 0);
        Interlocked.Increment(ref _runs);
        Interlocked.Exchange(ref _lastEndTicks, Stopwatch.GetTimestamp());
    }
}
