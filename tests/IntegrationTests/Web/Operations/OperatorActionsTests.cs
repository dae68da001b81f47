using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.IntegrationTests.Web.Security;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Web.Operations;
using Dashboard.Web.Security;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.IntegrationTests.Web.Operations;

/// <summary>The web role only (no worker: a job keeps the state a test gives it), with every log message captured.</summary>
public sealed class OperatorActionsApp : IAsyncDisposable
{
    private readonly DashboardFactory _factory;
    private readonly WebApplicationFactory<Program> _logged;
    private readonly IServiceScope _scope;

    public OperatorActionsApp(PostgresServerFixture postgres)
    {
        _factory = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        _logged = _factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(Logs)));
        _logged.CreateClient().Dispose();
        _scope = _logged.Services.CreateScope();
    }

    public CapturedLogs Logs { get; } = new();

    public IServiceProvider Services => _logged.Services;

    public OperatorActions Actions => _scope.ServiceProvider.GetRequiredService<OperatorActions>();

    public JobStorage Storage => Services.GetRequiredService<JobStorage>();

    /// <summary>A job scheduled for tomorrow: it keeps that state until a requeue moves it to Enqueued.</summary>
    public string ScheduledJob() => Services.GetRequiredService<IBackgroundJobClient>().Create<DiagnosticsJob>(
        j => j.RunAsync(new DiagnosticsArgs(-1, 0, 0), CancellationToken.None), new ScheduledState(TimeSpan.FromDays(1)));

    public bool Requeue(string jobId) => Services.GetRequiredService<IBackgroundJobClient>().Requeue(jobId);

    public async ValueTask DisposeAsync()
    {
        _scope.Dispose();
        await _logged.DisposeAsync();
        await _factory.DisposeAsync();
    }
}

public sealed class OperatorActionsTests(OperatorActionsApp app) : IClassFixture<OperatorActionsApp>
{
    private static OperatorAction Requeue(string jobId) => new(Policies.Operate, AuditActions.JobRequeue, jobId, $"Requeueing job '{jobId}'");

    [Fact]
    public async Task RunAsync_ChangeAndAuditSucceed_BothCommit()
    {
        var jobId = app.ScheduledJob();

        var result = await app.Actions.RunAsync(Principals.Operator, Requeue(jobId),
            _ => Task.FromResult(ActionOutcome<string>.Done("ok", app.Requeue(jobId) ? null : "not applied")), () => "denied", m => m,
            TestContext.Current.CancellationToken);

        Assert.Equal("ok", result);
        Assert.Equal(EnqueuedState.StateName, JobStates.StateOf(app.Storage, jobId));
        var row = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal(("job.requeue", AuditOutcome.Succeeded, (string?)null), (row.Action, row.Outcome, row.Details));
    }

    [Fact]
    public async Task RunAsync_AuditInsertFails_TheChangeIsRolledBackAndTheFailureRecordedWithItsReference()
    {
        var jobId = app.ScheduledJob();

        // The real audit insert fails in PostgreSQL (the target column holds 1000 characters) after Hangfire wrote the
        // requeue: the job must still be Failed, as if nothing had happened.
        var result = await app.Actions.RunAsync(Principals.Operator, Requeue(jobId),
            _ => Task.FromResult(new ActionOutcome<string>(app.Requeue(jobId) ? "ok" : "not applied", AuditOutcome.Succeeded, Target: new string('x', 1500))),
            () => "denied", m => m, TestContext.Current.CancellationToken);

        Assert.Equal(ScheduledState.StateName, JobStates.StateOf(app.Storage, jobId));
        Assert.DoesNotContain(JobStates.History(app.Storage, jobId), h => h.StateName == EnqueuedState.StateName);
        var reference = ReferenceIn(result);
        var row = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal(("job.requeue", AuditOutcome.Failed), (row.Action, row.Outcome));
        Assert.Contains(reference, row.Details, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Messages, m => m.Message.Contains(reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ChangeThrows_RolledBackOneFailedRowAndNoExceptionTextOnScreen()
    {
        var jobId = app.ScheduledJob();
        const string Secret = "password authentication failed for user \"dashboard\"";

        var result = await app.Actions.RunAsync<string>(Principals.Operator, Requeue(jobId), _ =>
        {
            app.Requeue(jobId);
            throw new InvalidOperationException(Secret);
        }, () => "denied", m => m, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(Secret, result, StringComparison.Ordinal);
        var reference = ReferenceIn(result);
        Assert.StartsWith($"Requeueing job '{jobId}' failed. Reference {reference} (the details are in the server log).", result, StringComparison.Ordinal);
        Assert.Equal(ScheduledState.StateName, JobStates.StateOf(app.Storage, jobId));
        var row = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal(AuditOutcome.Failed, row.Outcome);
        Assert.Contains(reference, row.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, row.Details, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Messages, m => m.Message.Contains(reference, StringComparison.Ordinal) && m.Message.Contains(jobId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ChangeUndonePartWay_RolledBackAndOneFailedRowWithTheReason()
    {
        var jobId = app.ScheduledJob();

        var result = await app.Actions.RunAsync(Principals.Operator, Requeue(jobId),
            _ => Task.FromResult(ActionOutcome<string>.Undone(app.Requeue(jobId) ? "undone" : "not applied", "second step refused")),
            () => "denied", m => m, TestContext.Current.CancellationToken);

        Assert.Equal("undone", result);
        Assert.Equal(ScheduledState.StateName, JobStates.StateOf(app.Storage, jobId));
        var row = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal((AuditOutcome.Failed, "second step refused"), (row.Outcome, row.Details));
    }

    [Fact]
    public async Task RunAsync_Denied_ChangesNothingAndWritesOneDeniedRow()
    {
        var jobId = app.ScheduledJob();
        var performed = false;

        var result = await app.Actions.RunAsync(Principals.Viewer, Requeue(jobId), _ =>
        {
            performed = true;
            return Task.FromResult(ActionOutcome<string>.Done("ok"));
        }, () => "denied", m => m, TestContext.Current.CancellationToken);

        Assert.Equal("denied", result);
        Assert.False(performed);
        Assert.Equal(ScheduledState.StateName, JobStates.StateOf(app.Storage, jobId));
        var row = Assert.Single(await AuditRows.ForAsync(app.Services, jobId));
        Assert.Equal(("job.requeue", AuditOutcome.Denied, Principals.ViewerName), (row.Action, row.Outcome, row.UserName));
    }

    private static string ReferenceIn(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "Reference ([0-9a-f]{8}) ");
        Assert.True(match.Success, $"no reference in: {message}");
        return match.Groups[1].Value;
    }
}
