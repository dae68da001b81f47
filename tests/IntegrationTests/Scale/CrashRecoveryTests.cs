using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Scale;

/// <summary>A worker killed with SIGKILL (OOM killer, a pulled plug) does not lose the job it was running.</summary>
public sealed class CrashRecoveryTests(PostgresServerFixture postgres)
{
    private static readonly Dictionary<string, string?> ShortInvisibility = new()
    {
        // The shortest allowed: a killed worker's job becomes visible to the others 10 s after its last refresh.
        ["Dashboard__Hangfire__InvisibilityTimeout"] = "00:00:10",
    };

    [Fact]
    public async Task Sigkill_WorkerRunningLongJob_AnotherProcessRunsItAfterInvisibilityTimeoutOnce()
    {
        await using var cluster = await ScaleCluster.CreateAsync(postgres);
        var nodes = await Task.WhenAll(cluster.StartAsync("worker", ShortInvisibility), cluster.StartAsync("worker", ShortInvisibility));
        var id = cluster.EnqueueDiagnostics(6_000);
        await Poll.UntilAsync(async () => (await cluster.RunsAsync([id]))[id].Processing == 1, TimeSpan.FromSeconds(60), $"job {id} to start");
        var firstServer = (await cluster.RunsAsync([id]))[id].ProcessingServers[0];
        var victim = nodes.Single(n => firstServer.Split(':')[1] == n.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var survivor = nodes.Single(n => n != victim);

        victim.Process.Signal(AppProcess.SigKill);
        Assert.True(await victim.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)), "SIGKILL should end the process");

        await cluster.WaitAllSucceededAsync([id], TimeSpan.FromSeconds(90));
        var runs = (await cluster.RunsAsync([id]))[id];
        Assert.Equal(1, runs.Succeeded);
        Assert.Equal([firstServer, Assert.Single(await cluster.ServerIdsAsync(survivor))], runs.ProcessingServers);
        // The survivor waited for the invisibility window; it did not take a job the killed worker still held.
        var gap = await Sql.ScalarAsync<double>(cluster.ConnectionString, $"""
            SELECT extract(epoch FROM max(createdat) - min(createdat)) FROM hangfire.state WHERE jobid = {id} AND name = 'Processing'
            """);
        TestContext.Current.TestOutputHelper?.WriteLine($"second start {gap:0.0} s after the first");
        Assert.InRange(gap, 5, 60);
    }
}
