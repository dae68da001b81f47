using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Scale;

/// <summary>
/// <c>Dashboard:Roles</c> is read before the host is built, so each role is tested as a real process on one database.
/// </summary>
public sealed class RolesTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task WorkerOnly_ServesHealthButNoUi_AndRunsJobs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ScaleCluster.CreateAsync(postgres);
        var worker = await cluster.StartAsync("worker");

        foreach (var path in new[] { "/", "/workers", "/jobs/1", "/account/login", "/hangfire", "/css/app.css", "/_framework/blazor.web.js" })
        {
            Assert.True(404 == await worker.StatusOfAsync(path, ct), $"GET {path} on a worker-only process should be 404");
        }

        using (var post = await ScaleCluster.PostDiagnosticsAsync(worker, 0, ct))
        {
            Assert.Equal(404, (int)post.StatusCode);
        }

        Assert.Equal(200, await worker.StatusOfAsync("/healthz", ct));
        Assert.Equal(200, await worker.StatusOfAsync("/readyz", ct));
        Assert.Contains("Worker is running (worker)", worker.Process.Output, StringComparison.Ordinal);

        var jobs = cluster.EnqueueDiagnostics(3, 50);
        await cluster.WaitAllSucceededAsync(jobs, TimeSpan.FromSeconds(60));

        // A worker exports what it ran on /metrics, and the storage-wide gauges, without any UI.
        var metrics = await worker.Http.GetStringAsync(new Uri("metrics", UriKind.Relative), ct);
        Assert.Matches("(?m)^dashboard_jobs_processed_total\\{[^}]*job_type=\"diagnostics\"[^}]*outcome=\"succeeded\"[^}]*\\} 3$", metrics);
        Assert.Matches("(?m)^dashboard_servers\\{[^}]*status=\"healthy\"[^}]*\\} 1$", metrics);
        Assert.Contains("dashboard_recommended_worker_replicas", metrics, StringComparison.Ordinal);

        var serverId = Assert.Single(await cluster.ServerIdsAsync(worker));
        Assert.All((await cluster.RunsAsync(jobs)).Values, r => Assert.Equal([serverId], r.ProcessingServers));
    }

    [Fact]
    public async Task WebOnly_ServesUiAndApiButRunsNoServer_JobWaitsForWorkerProcess()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ScaleCluster.CreateAsync(postgres);
        var web = await cluster.StartAsync("web");

        Assert.Equal(200, await web.StatusOfAsync("/account/login", ct));
        Assert.Equal(200, await web.StatusOfAsync("/readyz", ct));
        string jobId;
        using (var post = await ScaleCluster.PostDiagnosticsAsync(web, 0, ct))
        {
            Assert.Equal(202, (int)post.StatusCode);
            jobId = System.Text.Json.JsonDocument.Parse(await post.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("jobId").GetString()!;
        }

        // Long enough for a Hangfire server to announce itself and fetch a job (it polls every 0.5 s here).
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        Assert.Equal(0L, await cluster.ServerCountAsync());
        Assert.Equal("Enqueued", (await cluster.RunsAsync([jobId]))[jobId].State);

        var worker = await cluster.StartAsync("worker");
        await cluster.WaitAllSucceededAsync([jobId], TimeSpan.FromSeconds(60));

        Assert.Equal(await cluster.ServerIdsAsync(worker), (await cluster.RunsAsync([jobId]))[jobId].ProcessingServers);
        Assert.Equal(1L, await cluster.ServerCountAsync());
    }
}
