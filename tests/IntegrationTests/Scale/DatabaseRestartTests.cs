using System.Diagnostics;
using System.Text.Json;
using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Scale;

/// <summary>
/// PostgreSQL goes away for 20 s under load and comes back: the app processes recover on their own. This stops the
/// test run's shared server; test collections run one at a time (xunit.runner.json), so only this test sees it.
/// </summary>
public sealed class DatabaseRestartTests(PostgresServerFixture postgres)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PostgresStoppedUnderLoad_ProcessesRecoverWithoutRestart_NoJobLostOrDoubled()
    {
        Assert.SkipWhen(postgres.Server is null, "TEST_POSTGRES points at a server this test must not stop.");
        var server = postgres.Server!;
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ScaleCluster.CreateAsync(postgres);
        var nodes = await Task.WhenAll(cluster.StartAsync("web,worker"), cluster.StartAsync("worker"));
        var web = nodes[0];

        // 4 workers, 20 jobs of 1 s: some finish, some run and some wait when the database goes.
        var before = cluster.EnqueueDiagnostics(20, 1_000);
        await Poll.UntilAsync(async () => (await cluster.RunsAsync(before)).Values.Count(r => r.Succeeded == 1) >= 2, TimeSpan.FromSeconds(60), "the first jobs to finish");

        var stopped = Stopwatch.StartNew();
        server.Stop();
        int apiStatus;
        double apiSeconds;
        try
        {
            foreach (var node in nodes)
            {
                await Poll.UntilAsync(async () => await node.StatusOfAsync("/readyz", ct) == 503, TimeSpan.FromSeconds(30), $"/readyz of {node.Pid} to answer 503");
                Assert.Equal(200, await node.StatusOfAsync("/healthz", ct));
            }

            var call = Stopwatch.StartNew();
            using (var response = await ScaleCluster.PostDiagnosticsAsync(web, 0, ct))
            {
                apiStatus = (int)response.StatusCode;
                apiSeconds = call.Elapsed.TotalSeconds;
            }

            if (stopped.Elapsed < Outage)
            {
                await Task.Delay(Outage - stopped.Elapsed, ct);
            }
        }
        finally
        {
            server.Restart(durable: false);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"enqueue over HTTP during the outage: {apiStatus} after {apiSeconds:0.0} s");
        // Refused at once with 503 (nothing stored), not left hanging until the database returns.
        Assert.Equal(503, apiStatus);
        Assert.True(apiSeconds < 15, $"the API answered after {apiSeconds:0.0} s");

        var recovered = Stopwatch.StartNew();
        foreach (var node in nodes)
        {
            await Poll.UntilAsync(async () => await node.StatusOfAsync("/readyz", ct) == 200, TimeSpan.FromSeconds(60), $"/readyz of {node.Pid} to answer 200 again");
            Assert.False(node.Process.HasExited, $"process {node.Pid} should have survived the outage\n{node.Process.Output}");
        }

        var after = cluster.EnqueueDiagnostics(10, 200);
        using (var response = await ScaleCluster.PostDiagnosticsAsync(web, 0, ct))
        {
            Assert.Equal(202, (int)response.StatusCode);
            after.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("jobId").GetString()!);
        }

        await cluster.WaitAllSucceededAsync([.. before, .. after], TimeSpan.FromSeconds(120));
        TestContext.Current.TestOutputHelper?.WriteLine($"all jobs succeeded {recovered.Elapsed.TotalSeconds:0.0} s after PostgreSQL came back");
        var runs = await cluster.RunsAsync([.. before, .. after]);
        Assert.All(runs.Values, r => Assert.True(r.Succeeded == 1, $"job {r.JobId} succeeded {r.Succeeded} times"));
        var rerun = runs.Values.Count(r => r.Processing > 1);
        TestContext.Current.TestOutputHelper?.WriteLine($"{rerun} job(s) started twice (cut off by the outage and run again)");
        Assert.Equal(2, (await cluster.ServerIdsAsync(nodes[0])).Count + (await cluster.ServerIdsAsync(nodes[1])).Count);
    }
}
