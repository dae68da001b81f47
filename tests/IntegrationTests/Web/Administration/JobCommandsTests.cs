using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Web.Components.Pages.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Administration;

/// <summary>One running app (web and worker) whose operators and viewers act on real jobs.</summary>
public sealed class JobCommandsApp : IAsyncDisposable
{
    private readonly DashboardFactory _factory;
    private readonly IServiceScope _scope;

    public JobCommandsApp(PostgresServerFixture postgres)
    {
        _factory = new DashboardFactory(postgres.CreateDatabase());
        // Creating the client starts the host: migrations, Hangfire server, recurring jobs.
        _factory.CreateClient().Dispose();
        // The commands are per circuit in the app; one scope stands in for one user's circuit.
        _scope = _factory.Services.CreateScope();
    }

    public IServiceProvider Services => _factory.Services;

    public JobStorage Storage => Services.GetRequiredService<JobStorage>();

    public IJobCommands Commands => _scope.ServiceProvider.GetRequiredService<IJobCommands>();

    /// <summary>A diagnostics job with invalid arguments: it fails at once, without retries.</summary>
    public async Task<string> FailedJobAsync()
    {
        var id = Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(-1, 0, 0), CancellationToken.None));
        await JobStates.WaitForStateAsync(Storage, id, FailedState.StateName, TimeSpan.FromSeconds(30));
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        _scope.Dispose();
        await _factory.DisposeAsync();
    }
}

public sealed class JobCommandsTests(JobCommandsApp app) : IClassFixture<JobCommandsApp>
{
    [Fact]
    public async Task RequeueAsync_OperatorOnFailedJob_RunsAgainAndIsAudited()
    {
        var jobId = await app.FailedJobAsync();

        var result = await app.Commands.RequeueAsync(Principals.Operator, jobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.Succeeded, result.Status);
        await Poll.UntilAsync(
            () => JobStates.History(app.Storage, jobId).SkipWhile(h => h.StateName != FailedState.StateName).Skip(1)
                .Any(h => h.StateName == EnqueuedState.StateName || h.StateName == ProcessingState.StateName),
            TimeSpan.FromSeconds(30),
            $"job {jobId} to run again after its requeue");
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal(("job.requeue", AuditOutcome.Succeeded, Principals.OperatorName), (audit.Action, audit.Outcome, audit.UserName));
    }

    [Fact]
    public async Task RequeueAsync_Viewer_DeniedAuditedAndJobStaysFailed()
    {
        var jobId = await app.FailedJobAsync();

        var result = await app.Commands.RequeueAsync(Principals.Viewer, jobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.Denied, result.Status);
        Assert.Equal(FailedState.StateName, JobStates.StateOf(app.Storage, jobId));
        Assert.Equal(1, JobStates.History(app.Storage, jobId).Count(h => h.StateName == EnqueuedState.StateName));
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal(("job.requeue", AuditOutcome.Denied, Principals.ViewerName), (audit.Action, audit.Outcome, audit.UserName));
    }

    [Fact]
    public async Task DeleteAsync_Operator_JobDeletedAndAudited()
    {
        var jobId = await app.FailedJobAsync();

        var result = await app.Commands.DeleteAsync(Principals.Operator, jobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.Succeeded, result.Status);
        Assert.Equal(DeletedState.StateName, JobStates.StateOf(app.Storage, jobId));
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal(("job.delete", AuditOutcome.Succeeded, Principals.OperatorName), (audit.Action, audit.Outcome, audit.UserName));
    }

    [Fact]
    public async Task DeleteAsync_Viewer_DeniedAndJobUnchanged()
    {
        var jobId = await app.FailedJobAsync();

        var result = await app.Commands.DeleteAsync(Principals.Viewer, jobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.Denied, result.Status);
        Assert.Equal(FailedState.StateName, JobStates.StateOf(app.Storage, jobId));
    }

    [Theory]
    [InlineData("987654321")]
    [InlineData("abc")]
    [InlineData("1 OR 1=1")]
    [InlineData("-5")]
    [InlineData("99999999999999999999999")]
    [InlineData("")]
    public async Task RequeueAndDelete_UnknownOrMalformedId_NotFoundAndNothingSucceeded(string jobId)
    {
        var requeue = await app.Commands.RequeueAsync(Principals.Operator, jobId, TestContext.Current.CancellationToken);
        var delete = await app.Commands.DeleteAsync(Principals.Operator, jobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.NotFound, requeue.Status);
        Assert.Equal(JobCommandStatus.NotFound, delete.Status);
        Assert.DoesNotContain(await AuditRows.ForAsync(app.Services, jobId), e => e.Outcome == AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task TriggerRecurringAsync_OperatorOnDeclaredJob_EnqueuesAndAudits()
    {
        const string Id = "aggregate-metrics";
        await Poll.UntilAsync(() => RecurringExists(Id), TimeSpan.FromSeconds(30), $"recurring job {Id} to be registered");

        var result = await app.Commands.TriggerRecurringAsync(Principals.Operator, Id, TestContext.Current.CancellationToken);
        var unknown = await app.Commands.TriggerRecurringAsync(Principals.Operator, "no-such-recurring-job", TestContext.Current.CancellationToken);
        var denied = await app.Commands.TriggerRecurringAsync(Principals.Viewer, Id, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.Succeeded, result.Status);
        Assert.Equal(JobCommandStatus.NotFound, unknown.Status);
        Assert.Equal(JobCommandStatus.Denied, denied.Status);
        await Poll.UntilAsync(() => LastJobIdOf(Id) is not null, TimeSpan.FromSeconds(10), $"recurring job {Id} to have run");
        Assert.Equal(
            [("recurring.trigger", AuditOutcome.Succeeded, Principals.OperatorName), ("recurring.trigger", AuditOutcome.Denied, Principals.ViewerName)],
            (await AuditRows.ForAsync(app.Services, Id)).Select(e => (e.Action, e.Outcome, e.UserName)).ToList());
    }

    [Fact]
    public async Task FindAsync_FailedJob_ShowsArgumentsHistoryAndFailure()
    {
        var jobId = await app.FailedJobAsync();
        var queries = app.Services.GetRequiredService<IJobDetailsQueries>();

        var job = await queries.FindAsync(jobId, TestContext.Current.CancellationToken);
        var missing = await queries.FindAsync("987654321", TestContext.Current.CancellationToken);
        var malformed = await queries.FindAsync("../etc", TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal(("DiagnosticsJob", "RunAsync"), (job.JobType, job.Method));
        Assert.Equal("default", job.Queue);
        Assert.Equal(FailedState.StateName, job.State);
        Assert.Contains("\"SleepMs\": -1", job.ArgumentsJson, StringComparison.Ordinal);
        Assert.Equal(FailedState.StateName, job.History[0].State);
        Assert.Contains(job.History, h => h.State == EnqueuedState.StateName);
        Assert.NotNull(job.LastFailure);
        Assert.Contains("ValidationException", job.LastFailure.ExceptionType, StringComparison.Ordinal);
        Assert.Null(missing);
        Assert.Null(malformed);
    }

    private bool RecurringExists(string id)
    {
        using var connection = app.Storage.GetConnection();
        return connection.GetAllEntriesFromHash($"recurring-job:{id}") is { Count: > 0 };
    }

    private string? LastJobIdOf(string id)
    {
        using var connection = app.Storage.GetConnection();
        return connection.GetAllEntriesFromHash($"recurring-job:{id}")?.GetValueOrDefault("LastJobId");
    }
}
