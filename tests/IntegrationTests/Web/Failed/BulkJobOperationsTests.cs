using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Components.Pages.Failed;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Failed;

/// <summary>
/// The app with the web role only (no Hangfire server, so requeued jobs stay Enqueued for the checks) on 200,000
/// seeded jobs, 100,000 of them failed (<see cref="HangfireSeed"/>).
/// </summary>
public sealed class BulkOperationsApp : IAsyncLifetime
{
    public const int Jobs = 200_000;

    private readonly DashboardFactory _factory;
    private IServiceScope? _scope;

    public BulkOperationsApp(PostgresServerFixture postgres)
    {
        ConnectionString = postgres.CreateDatabase();
        _factory = new DashboardFactory(ConnectionString, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>One scope stands in for one user's circuit, as in the app.</summary>
    public IFailedJobCommands Commands => _scope!.ServiceProvider.GetRequiredService<IFailedJobCommands>();

    public async ValueTask InitializeAsync()
    {
        // Creating the client starts the host, which installs the schemas.
        _factory.CreateClient().Dispose();
        _scope = _factory.Services.CreateScope();
        await HangfireSeed.SeedAsync(ConnectionString, Jobs);
    }

    public async ValueTask DisposeAsync()
    {
        _scope?.Dispose();
        await _factory.DisposeAsync();
    }
}

public sealed class BulkJobOperationsTests(BulkOperationsApp app) : IClassFixture<BulkOperationsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequeueMatching_RareSignature_RequeuesExactlyThoseAndAuditsRequestAndResult()
    {
        var filter = new JobFilter(Signature: HangfireSeed.Signatures[3]);
        var preview = await app.Commands.PreviewAsync(filter, Ct);

        var started = await app.Commands.StartAsync(Principals.Operator, BulkAction.Requeue, filter, preview, Ct);
        var result = await WaitForEndAsync(started);

        Assert.Equal(new MatchSnapshot(200, 200_000), preview);
        Assert.Equal(JobCommandStatus.Succeeded, started.Status);
        Assert.Equal((BulkStatus.Completed, 200L, 0L, 0L), (result.Status, result.Changed, result.Skipped, result.Errors));
        Assert.Equal(200, await CountAsync("statename = 'Enqueued' AND id % 1000 = 0"));
        Assert.Equal(0, await CountAsync("statename = 'Failed' AND id % 1000 = 0"));
        Assert.Equal(200, await CountAsync("id % 1000 = 0 AND EXISTS (SELECT 1 FROM hangfire.jobqueue q WHERE q.jobid = job.id)"));
        Assert.Equal(100_000 - 200 - await ChangedByOtherTestsAsync(), await CountAsync("statename = 'Failed'"));
        var audit = await AuditRows.ForAsync(app.Services, BulkJobOperations.AuditTarget(filter with { State = "Failed" }));
        Assert.Equal(2, audit.Count);
        Assert.Equal(("jobs.requeue-matching", AuditOutcome.Succeeded, Principals.OperatorName), (audit[0].Action, audit[0].Outcome, audit[0].UserName));
        Assert.Contains("count: 200", audit[0].Details, StringComparison.Ordinal);
        Assert.Contains("signature=", audit[0].Details, StringComparison.Ordinal);
        Assert.Equal(("jobs.requeue-matching", AuditOutcome.Succeeded), (audit[1].Action, audit[1].Outcome));
        Assert.Contains("requeued 200, skipped 0, failed 0 of 200", audit[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteMatching_TimeRange_DeletesExactlyThoseAndCountsAlreadyChangedAsSkipped()
    {
        // Failed jobs 50,002 … 50,600: 300 of them. One is requeued after the count, before the walk.
        var filter = new JobFilter(From: HangfireSeed.StateAtOf(50_002), To: HangfireSeed.StateAtOf(50_601));
        var preview = await app.Commands.PreviewAsync(filter, Ct);
        using (var scope = app.Services.CreateScope())
        {
            var single = await scope.ServiceProvider.GetRequiredService<IJobCommands>().RequeueAsync(Principals.Operator, "50300", Ct);
            Assert.True(single.Succeeded, single.Message);
        }

        var result = await WaitForEndAsync(await app.Commands.StartAsync(Principals.Admin, BulkAction.Delete, filter, preview, Ct));

        Assert.Equal(300, preview.Count);
        Assert.Equal((BulkStatus.Completed, 299L, 1L, 0L), (result.Status, result.Changed, result.Skipped, result.Errors));
        Assert.Equal(299, await CountAsync("statename = 'Deleted' AND id BETWEEN 50002 AND 50600 AND id % 2 = 0"));
        Assert.Equal("Enqueued", await Sql.ScalarAsync<string>(app.ConnectionString, "SELECT statename FROM hangfire.job WHERE id = 50300"));
        // The failed neighbours just outside the range (50,000 is a multiple of 1,000, which the requeue test may take).
        Assert.Equal("Failed", await Sql.ScalarAsync<string>(app.ConnectionString, "SELECT statename FROM hangfire.job WHERE id = 49998"));
        Assert.Equal("Failed", await Sql.ScalarAsync<string>(app.ConnectionString, "SELECT statename FROM hangfire.job WHERE id = 50602"));
        var audit = await AuditRows.ForAsync(app.Services, BulkJobOperations.AuditTarget(filter with { State = "Failed" }));
        Assert.Equal(["jobs.delete-matching", "jobs.delete-matching"], audit.Select(a => a.Action));
        Assert.Contains("deleted 299, skipped 1, failed 0 of 300", audit[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequeueMatching_Viewer_DeniedAuditedAndNothingChanges()
    {
        var filter = new JobFilter(Queue: "critical", JobType: "SendEmail");
        var preview = await app.Commands.PreviewAsync(filter, Ct);
        var failedBefore = await CountAsync("statename = 'Failed'");

        var started = await app.Commands.StartAsync(Principals.Viewer, BulkAction.Requeue, filter, preview, Ct);

        Assert.Equal(JobCommandStatus.Denied, started.Status);
        Assert.Null(started.Operation);
        Assert.Equal(failedBefore, await CountAsync("statename = 'Failed'"));
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, BulkJobOperations.AuditTarget(filter with { State = "Failed" })));
        Assert.Equal(("jobs.requeue-matching", AuditOutcome.Denied, Principals.ViewerName), (audit.Action, audit.Outcome, audit.UserName));
        Assert.Contains($"count: {preview.Count}", audit.Details, StringComparison.Ordinal);
    }

    private async Task<BulkProgress> WaitForEndAsync(BulkStartResult started)
    {
        Assert.True(started.Succeeded, started.Message);
        var source = app.Services.GetRequiredService<IBulkProgressSource>();
        BulkProgress? end = null;
        await Poll.UntilAsync(
            () => (end = source.Recent.Single(p => p.Id == started.Operation!.Id)) is { IsRunning: false },
            TimeSpan.FromSeconds(50),
            "the bulk operation to finish");
        // The result is audited just before the last progress is published; give the write a moment on slow machines.
        await Poll.UntilAsync(
            async () => (await AuditRows.ForAsync(app.Services, BulkJobOperations.AuditTarget(end!.Filter))).Count >= 2,
            TimeSpan.FromSeconds(10),
            "the result to be audited");
        return end!;
    }

    private Task<long> CountAsync(string where) => Sql.ScalarAsync<long>(app.ConnectionString, $"SELECT count(*) FROM hangfire.job WHERE {where}");

    /// <summary>Failed jobs the other tests of this class changed (they may run first).</summary>
    private async Task<long> ChangedByOtherTestsAsync() =>
        await CountAsync("statename <> 'Failed' AND id % 2 = 0 AND id % 1000 <> 0");
}
