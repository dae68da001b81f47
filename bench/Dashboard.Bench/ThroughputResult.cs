namespace Dashboard.Bench;

/// <summary>One enqueue-then-drain run: rates from the clock, statements and commits from the server.</summary>
internal sealed record ThroughputResult(
    string Name,
    int Jobs,
    double EnqueuePerSecond,
    double DrainPerSecond,
    ServerCounters Enqueue,
    ServerCounters Total,
    string ConnectionString)
{
    /// <summary>Set when the drain did not finish in time: how far it got. The rates are then NaN.</summary>
    public string? Stalled { get; init; }

    public double StatementsPerJob => (double)Total.Statements / Jobs;

    public double CommitsPerJob => (double)Total.Commits / Jobs;

    public double EnqueueStatementsPerJob => (double)Enqueue.Statements / Jobs;
}
