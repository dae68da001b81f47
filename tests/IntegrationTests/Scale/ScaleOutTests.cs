using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Scale;

/// <summary>More worker processes on one PostgreSQL run more jobs at once, and still run each job exactly once.</summary>
public sealed class ScaleOutTests(PostgresServerFixture postgres)
{
    // Sleeping jobs wait like I/O does, so with 2 workers per process capacity is set by the number of processes,
    // not by the 2 cores of the machine. Ideal: 24 jobs of 1 s take 12 s on one process and 4 s on three.
    private const int Jobs = 24;
    private const int SleepMs = 1_000;

    [Fact]
    public async Task Workers_OneThenThreeProcesses_EveryJobRunsOnceAndThroughputGrows()
    {
        await using var cluster = await ScaleCluster.CreateAsync(postgres);
        var first = await cluster.StartAsync("worker");

        var oneProcess = cluster.EnqueueDiagnostics(Jobs, SleepMs);
        await cluster.WaitAllSucceededAsync(oneProcess, TimeSpan.FromSeconds(120));
        var oneSeconds = await cluster.BatchSecondsAsync(oneProcess);

        var more = await Task.WhenAll(cluster.StartAsync("worker"), cluster.StartAsync("worker"));
        var threeProcesses = cluster.EnqueueDiagnostics(Jobs, SleepMs);
        await cluster.WaitAllSucceededAsync(threeProcesses, TimeSpan.FromSeconds(120));
        var threeSeconds = await cluster.BatchSecondsAsync(threeProcesses);

        var runs = await cluster.RunsAsync([.. oneProcess, .. threeProcesses]);
        Assert.Equal(2 * Jobs, runs.Count);
        Assert.All(runs.Values, r => Assert.True(r is { Processing: 1, Succeeded: 1 }, $"job {r.JobId} started {r.Processing} and succeeded {r.Succeeded} times"));
        var firstServer = Assert.Single(await cluster.ServerIdsAsync(first));
        Assert.All(oneProcess, id => Assert.Equal([firstServer], runs[id].ProcessingServers));
        // Every process took part in the second batch.
        foreach (var node in new[] { first, more[0], more[1] })
        {
            var server = Assert.Single(await cluster.ServerIdsAsync(node));
            Assert.Contains(threeProcesses, id => runs[id].ProcessingServers[0] == server);
        }

        // The ideal ratio is 3; fetch latency and start-up jitter on a busy machine cost some of it.
        var speedup = oneSeconds / threeSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine($"1 process: {oneSeconds:0.0} s, 3 processes: {threeSeconds:0.0} s, speed-up {speedup:0.00}");
        Assert.True(oneSeconds >= Jobs * SleepMs / 1000.0 / 2, $"one process with 2 workers cannot beat {Jobs / 2} s, took {oneSeconds:0.0} s");
        Assert.True(speedup >= 1.8, $"3 processes should be at least 1.8x faster than 1: {oneSeconds:0.0} s vs {threeSeconds:0.0} s");
    }
}
