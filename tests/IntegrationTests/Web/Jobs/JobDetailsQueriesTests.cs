using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Email;
using Dashboard.Jobs.Model;
using Dashboard.Web.Components.Pages.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Jobs;

public sealed class JobDetailsQueriesTests(WebOnlyApp app) : IClassFixture<WebOnlyApp>
{
    private IJobDetailsQueries Queries => app.Services.GetRequiredService<IJobDetailsQueries>();

    private IJobCommands Commands => app.Circuit.GetRequiredService<IJobCommands>();

    [Fact]
    public async Task FindAsync_FailedThenRetryScheduled_ShowsHistoryRetryCountNextRetryAndException()
    {
        var jobId = app.Client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(5, 3, 0), CancellationToken.None));
        var before = DateTimeOffset.UtcNow;
        // The app's retry filter turns this failure into a scheduled retry, exactly as it does for a worker's (so
        // Hangfire answers false: the state applied is not the one asked for).
        Assert.False(app.Client.ChangeState(jobId, new FailedState(Thrown("Diagnostics failure on attempt 1"), "host-a:101:aaaa"), EnqueuedState.StateName));

        var job = await Queries.FindAsync(jobId, TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal(("DiagnosticsJob", "RunAsync", "default"), (job.JobType, job.Method, job.Queue));
        Assert.Equal(ScheduledState.StateName, job.State);
        Assert.StartsWith("Retry 1 of 2 in ", job.StateReason, StringComparison.Ordinal);
        Assert.Equal([ScheduledState.StateName, FailedState.StateName, EnqueuedState.StateName], job.History.Select(h => h.State));
        Assert.Equal(1, job.RetryCount);
        // 2^1 s with at most 10 % jitter after the failure.
        Assert.NotNull(job.NextRetryAt);
        Assert.InRange(job.NextRetryAt.Value, before.AddSeconds(1.5), DateTimeOffset.UtcNow.AddSeconds(2.5));
        Assert.Equal(job.NextRetryAt, StateData.Time(job.History[0].Data, "EnqueueAt"));
        var failed = job.History[1];
        Assert.Equal(("System.InvalidOperationException", "Diagnostics failure on attempt 1"), (failed.Data["ExceptionType"], failed.Data["ExceptionMessage"]));
        Assert.Contains(nameof(Thrown), failed.Data["ExceptionDetails"], StringComparison.Ordinal);
        Assert.Equal(["Exception: System.InvalidOperationException", "Message: Diagnostics failure on attempt 1", "Server: host-a:101:aaaa"], StateData.FactsOf(failed).Select(f => $"{f.Label}: {f.Value}"));
        Assert.Equal(["Queue: default"], StateData.FactsOf(job.History[2]).Select(f => $"{f.Label}: {f.Value}"));
        Assert.NotNull(job.LastFailure);
        Assert.Equal("Diagnostics failure on attempt 1", job.LastFailure.Message);
        Assert.Contains("\"FailUntilAttempt\": 3", job.ArgumentsJson, StringComparison.Ordinal);
        Assert.Null(job.LoadError);
    }

    [Fact]
    public async Task FindAsync_PinnedQueue_ShowsTheQueueAndItsParameter()
    {
        var enqueuer = app.Services.GetRequiredService<JobEnqueuer>();
        var catalog = app.Services.GetRequiredService<JobCatalog>();
        var jobId = enqueuer.Enqueue(catalog.Find("diagnostics")!, new DiagnosticsArgs(), "low");

        var job = await Queries.FindAsync(jobId, TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal("low", job.Queue);
        Assert.Equal([new JobParameterView("Queue", "low", "/queues")], job.Parameters);
        Assert.Equal(0, job.RetryCount);
        Assert.Null(job.NextRetryAt);
    }

    [Fact]
    public async Task EnqueueCopyAsync_Operator_CreatesTheSameJobInTheSameQueueAndAudits()
    {
        var enqueuer = app.Services.GetRequiredService<JobEnqueuer>();
        var catalog = app.Services.GetRequiredService<JobCatalog>();
        var args = new SendEmailArgs("copy-source-1", "ann@example.test", "Hello", "Body text");
        var sourceId = enqueuer.Enqueue(catalog.Find("send-email")!, args, "low");
        app.Client.Delete(sourceId);

        var result = await Commands.EnqueueCopyAsync(Principals.Operator, sourceId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.Succeeded, result.Status);
        Assert.NotNull(result.JobId);
        Assert.NotEqual(sourceId, result.JobId);
        using (var connection = app.Storage.GetConnection())
        {
            var copy = connection.GetJobData(result.JobId);
            Assert.Equal(EnqueuedState.StateName, copy.State);
            Assert.Equal(typeof(SendEmailJob), copy.Job.Type);
            Assert.Equal(args, copy.Job.Args[0]);
            Assert.Equal("\"low\"", connection.GetJobParameter(result.JobId, JobEnqueuer.QueueParameter));
        }

        var view = await Queries.FindAsync(result.JobId, TestContext.Current.CancellationToken);
        Assert.Equal("low", view!.Queue);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(app.ConnectionString, $"SELECT count(*) FROM hangfire.jobqueue WHERE jobid = {long.Parse(result.JobId, System.Globalization.CultureInfo.InvariantCulture)} AND queue = 'low'"));
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, sourceId));
        Assert.Equal(("job.enqueue-copy", AuditOutcome.Succeeded, Principals.OperatorName, $"new job {result.JobId}"), (audit.Action, audit.Outcome, audit.UserName, audit.Details));
    }

    [Fact]
    public async Task EnqueueCopyAsync_Viewer_DeniedAuditedAndNothingCreated()
    {
        var sourceId = app.Client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        var jobsBefore = await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT max(id) FROM hangfire.job");

        var result = await Commands.EnqueueCopyAsync(Principals.Viewer, sourceId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.Denied, result.Status);
        Assert.Null(result.JobId);
        Assert.Equal(jobsBefore, await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT max(id) FROM hangfire.job"));
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, sourceId));
        Assert.Equal(("job.enqueue-copy", AuditOutcome.Denied, Principals.ViewerName), (audit.Action, audit.Outcome, audit.UserName));
    }

    [Fact]
    public async Task UnloadableClass_DetailsShowStoredDataAndCopyFailsClearly()
    {
        var sourceId = app.Client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(7, 0, 0), CancellationToken.None));
        // What a job enqueued by an older version looks like after its class was removed or renamed.
        await Sql.ExecuteAsync(app.ConnectionString, $$"""
            UPDATE hangfire.job SET invocationdata = jsonb_set(invocationdata, '{Type}', '"Dashboard.Jobs.Retired.GoneJob, Dashboard.Jobs"')
            WHERE id = {{sourceId}}
            """);

        var view = await Queries.FindAsync(sourceId, TestContext.Current.CancellationToken);
        var result = await Commands.EnqueueCopyAsync(Principals.Operator, sourceId, TestContext.Current.CancellationToken);

        Assert.NotNull(view);
        Assert.Equal(("GoneJob", "RunAsync"), (view.JobType, view.Method));
        Assert.Contains("Dashboard.Jobs.Retired.GoneJob", view.LoadError, StringComparison.Ordinal);
        Assert.Contains("\\\"sleepMs\\\":7", view.ArgumentsJson.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JobCommandStatus.Failed, result.Status);
        Assert.Contains("cannot be copied", result.Message, StringComparison.Ordinal);
        Assert.Contains("GoneJob", result.Message, StringComparison.Ordinal);
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, sourceId));
        Assert.Equal(("job.enqueue-copy", AuditOutcome.Failed), (audit.Action, audit.Outcome));
    }

    [Theory]
    [InlineData("987654321")]
    [InlineData("abc")]
    public async Task EnqueueCopyAsync_UnknownOrMalformedId_NotFound(string jobId)
    {
        var result = await Commands.EnqueueCopyAsync(Principals.Operator, jobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobCommandStatus.NotFound, result.Status);
        Assert.Null(await Queries.FindAsync(jobId, TestContext.Current.CancellationToken));
    }

    private static InvalidOperationException Thrown(string message)
    {
        try
        {
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}
