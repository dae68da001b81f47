using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Model;
using Dashboard.Jobs.Webhooks;
using Dashboard.Web.Components.Pages.Enqueue;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Jobs;

public sealed class EnqueueCommandsTests(WebOnlyApp app) : IClassFixture<WebOnlyApp>
{
    private IEnqueueCommands Commands => app.Circuit.GetRequiredService<IEnqueueCommands>();

    [Fact]
    public async Task EnqueueAsync_ValidArgumentsInChosenQueue_StoresTheJobThereAndAudits()
    {
        const string Json = """{"deliveryKey":"enqueue-page-1","url":"https://hooks.example.test/in","eventType":"order.paid","payloadJson":"{\"id\":5}"}""";

        var result = await Commands.EnqueueAsync(Principals.Operator, new EnqueueRequest("deliver-webhook", Json, "critical"), TestContext.Current.CancellationToken);

        Assert.Equal(EnqueueStatus.Succeeded, result.Status);
        Assert.NotNull(result.JobId);
        using (var connection = app.Storage.GetConnection())
        {
            var job = connection.GetJobData(result.JobId);
            Assert.Equal(EnqueuedState.StateName, job.State);
            Assert.Equal(typeof(DeliverWebhookJob), job.Job.Type);
            Assert.Equal(new DeliverWebhookArgs("enqueue-page-1", "https://hooks.example.test/in", "order.paid", "{\"id\":5}"), job.Job.Args[0]);
            Assert.Equal("\"critical\"", connection.GetJobParameter(result.JobId, JobEnqueuer.QueueParameter));
        }

        Assert.Equal("critical", await QueueOfAsync(result.JobId));
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, result.JobId));
        Assert.Equal(("job.enqueue", AuditOutcome.Succeeded, Principals.OperatorName), (audit.Action, audit.Outcome, audit.UserName));
        Assert.Equal("deliver-webhook in queue 'critical'", audit.Details);
    }

    [Fact]
    public async Task EnqueueAsync_InvalidArguments_InvalidNamingTheFieldNothingStoredAndAudited()
    {
        var jobsBefore = await JobCountAsync();

        var result = await Commands.EnqueueAsync(
            Principals.Operator,
            new EnqueueRequest("deliver-webhook", """{"deliveryKey":"enqueue-page-2","url":"ftp://files.example.test/x","eventType":"order.paid","payloadJson":"{"}"""),
            TestContext.Current.CancellationToken);

        Assert.Equal(EnqueueStatus.Invalid, result.Status);
        Assert.Null(result.JobId);
        Assert.NotNull(result.Errors);
        Assert.Equal(["payloadJson", "url"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["url must be an absolute http or https URL."], result.Errors["url"]);
        Assert.Equal(jobsBefore, await JobCountAsync());
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, "deliver-webhook"), e => e.Details!.Contains("url", StringComparison.Ordinal));
        Assert.Equal(("job.enqueue", AuditOutcome.Failed), (audit.Action, audit.Outcome));
    }

    [Theory]
    [InlineData("no-such-job", null, "job")]
    [InlineData("diagnostics", "nowhere", "queue")]
    public async Task EnqueueAsync_UnknownJobOrQueue_InvalidAndNothingStored(string job, string? queue, string field)
    {
        var jobsBefore = await JobCountAsync();

        var result = await Commands.EnqueueAsync(Principals.Operator, new EnqueueRequest(job, "{}", queue), TestContext.Current.CancellationToken);

        Assert.Equal(EnqueueStatus.Invalid, result.Status);
        Assert.Equal([field], result.Errors!.Keys);
        Assert.Equal(jobsBefore, await JobCountAsync());
    }

    [Fact]
    public async Task EnqueueAsync_RunAt_SchedulesTheJobForThatTime()
    {
        var runAt = DateTimeOffset.UtcNow.AddHours(2);

        var result = await Commands.EnqueueAsync(Principals.Admin, new EnqueueRequest("diagnostics", """{"sleepMs":10}""", RunAt: runAt), TestContext.Current.CancellationToken);
        var past = await Commands.EnqueueAsync(Principals.Admin, new EnqueueRequest("diagnostics", "{}", RunAt: DateTimeOffset.UtcNow.AddMinutes(-1)), TestContext.Current.CancellationToken);

        Assert.Equal(EnqueueStatus.Succeeded, result.Status);
        using var connection = app.Storage.GetConnection();
        var state = connection.GetStateData(result.JobId!);
        Assert.Equal(ScheduledState.StateName, state.Name);
        var enqueueAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(state.Data["EnqueueAt"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(enqueueAt, runAt.AddSeconds(-1), runAt.AddSeconds(1));
        Assert.Equal(EnqueueStatus.Invalid, past.Status);
        Assert.Equal(["runAt"], past.Errors!.Keys);
    }

    [Fact]
    public async Task EnqueueAsync_Viewer_DeniedAuditedAndNothingStored()
    {
        var jobsBefore = await JobCountAsync();

        var result = await Commands.EnqueueAsync(Principals.Viewer, new EnqueueRequest("process-bounce", """{"messageKey":"viewer-try","type":"hard"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(EnqueueStatus.Denied, result.Status);
        Assert.Equal(jobsBefore, await JobCountAsync());
        var audit = Assert.Single(await AuditRows.ForAsync(app.Services, "process-bounce"));
        Assert.Equal(("job.enqueue", AuditOutcome.Denied, Principals.ViewerName), (audit.Action, audit.Outcome, audit.UserName));
    }

    private Task<long> JobCountAsync() => Sql.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM hangfire.job");

    private Task<string> QueueOfAsync(string jobId) =>
        Sql.ScalarAsync<string>(app.ConnectionString, $"SELECT queue FROM hangfire.jobqueue WHERE jobid = {long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)}");
}
