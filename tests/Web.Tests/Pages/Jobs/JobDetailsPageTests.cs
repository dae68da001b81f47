using Bunit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Jobs;

public sealed class JobDetailsPageTests : DashboardTestContext
{
    private const string Stack = "System.ComponentModel.DataAnnotations.ValidationException: SleepMs out of range\n   at Dashboard.Jobs.Diagnostics.DiagnosticsJob.RunAsync(DiagnosticsArgs args, CancellationToken cancellationToken)";

    private readonly FakeJobDetailsQueries _queries = new();
    private readonly FakeJobCommands _commands = new();
    private readonly FakeOverviewSource _source = new();

    public JobDetailsPageTests()
    {
        Services.AddSingleton<IJobDetailsQueries>(_queries);
        Services.AddSingleton<IJobCommands>(_commands);
        Services.AddSingleton<IOverviewSource>(_source);
        _queries.Jobs["42"] = JobViews.Failed("42", Stack);
    }

    [Fact]
    public void Render_ReadStoppedByTheStatementTimeout_SaysSoWithoutTheDatabaseText()
    {
        SignIn(Policies.View);
        _queries.Failure = StatementTimeout.Error();

        var page = RenderJob("42");

        var error = page.Find("[data-testid=job-error]");
        Assert.Equal("true", error.GetAttribute("data-timed-out"));
        Assert.Equal("Reading the job took longer than 5 s and was stopped. Try again in a moment.", error.TextContent.Trim());
    }

    [Fact]
    public void Render_FailedJob_ShowsTypeMethodQueueStateArgumentsHistoryAndCollapsedStackTrace()
    {
        SignIn(Policies.View);

        var page = RenderJob("42");

        Assert.Equal("DiagnosticsJob", page.Find("[data-testid=job-type]").TextContent);
        Assert.Equal("RunAsync", page.Find("[data-testid=job-method]").TextContent);
        Assert.Equal("default", page.Find("[data-testid=job-queue]").TextContent);
        Assert.Equal("Failed", page.Find("[data-testid=job-state]").TextContent.Trim());
        Assert.Equal("Failed: Failed after 3 attempt(s): SleepMs out of range", page.Find("[data-testid=job-state-reason]").TextContent);
        Assert.Contains("\"SleepMs\": -1", page.Find("[data-testid=job-arguments]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Failed", "Processing", "Enqueued"], page.FindAll("[data-testid=history-entry]").Select(e => e.GetAttribute("data-state")));
        var failed = page.FindAll("[data-testid=history-entry]")[0];
        Assert.Contains("Exception: System.ComponentModel.DataAnnotations.ValidationException", failed.TextContent, StringComparison.Ordinal);
        Assert.Contains("Message: SleepMs out of range", failed.TextContent, StringComparison.Ordinal);
        var stack = failed.QuerySelector("[data-testid=stack-trace]")!;
        Assert.Equal("DETAILS", stack.TagName);
        Assert.False(stack.HasAttribute("open"));
        Assert.Equal(Stack, stack.QuerySelector("pre")!.TextContent);
        Assert.Contains("SleepMs out of range", page.Find("[data-testid=job-failure]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EnqueuedJob_ShowsItsQueueAndPinnedQueueParameter()
    {
        _queries.Jobs["7"] = JobViews.Enqueued("7", "critical");

        var page = RenderJob("7");

        Assert.Equal("critical", page.Find("[data-testid=job-queue]").TextContent);
        Assert.Equal("Queue: critical", page.Find("[data-testid=history-fact]").TextContent.Trim());
        var pinned = Assert.Single(page.FindAll("[data-testid=job-parameter]"));
        Assert.Contains("Pinned queue", pinned.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=next-retry]"));
    }

    [Fact]
    public void Render_ScheduledRetry_ShowsRetryCountAndNextRetryRelativeAndAbsolute()
    {
        _queries.Jobs["8"] = JobViews.RetryScheduled("8", retries: 2, nextRetry: Snapshots.Now.AddSeconds(30));

        var page = RenderJob("8");

        Assert.Equal("2", page.Find("[data-testid=retry-count]").TextContent);
        Assert.Equal("in 30 s (2026-11-22 12:00:30 UTC)", page.Find("[data-testid=next-retry]").TextContent);
        var scheduled = page.FindAll("[data-testid=history-entry]")[0];
        Assert.Contains("Retry 2 of 4 in 30 s", scheduled.TextContent, StringComparison.Ordinal);
        Assert.Contains("Enqueue at: 2026-11-22 12:00:30 UTC", scheduled.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ProcessingJob_LinksTheServerToWorkersAndShowsTheWorker()
    {
        _queries.Jobs["9"] = JobViews.Processing("9", "host-a:101:aaaa", "worker-3");

        var page = RenderJob("9");

        var entry = page.FindAll("[data-testid=history-entry]")[0];
        var link = entry.QuerySelector("a")!;
        Assert.Equal("/workers", link.GetAttribute("href"));
        Assert.Equal("host-a:101:aaaa", link.TextContent);
        Assert.Contains("Worker: worker-3", entry.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SucceededJob_ShowsDurationAndLatency()
    {
        _queries.Jobs["10"] = JobViews.Succeeded("10", durationMs: 1_250, latencyMs: 80);

        var page = RenderJob("10");

        var facts = page.FindAll("[data-testid=history-entry]")[0].QuerySelectorAll("[data-testid=history-fact]").Select(f => f.TextContent.Trim());
        Assert.Equal(["Duration: 1.3 s", "Latency: 80 ms"], facts);
    }

    [Fact]
    public void Render_RecurringJobParameter_LinksToRecurring()
    {
        _queries.Jobs["11"] = JobViews.Enqueued("11", "default") with { Parameters = [new JobParameterView("RecurringJobId", "aggregate-metrics", "/recurring")] };

        var page = RenderJob("11");

        var link = page.Find("[data-testid=job-parameter] a");
        Assert.Equal(("/recurring", "aggregate-metrics"), (link.GetAttribute("href"), link.TextContent));
    }

    [Fact]
    public void Render_UnloadableClass_ShowsStoredArgumentsWarnsAndCannotBeCopied()
    {
        _queries.Jobs["12"] = JobViews.Enqueued("12", "default") with
        {
            JobType = "GoneJob",
            ArgumentsJson = "[\"{\\\"id\\\":5}\",null]",
            LoadError = "The class Dashboard.Jobs.GoneJob, Dashboard.Jobs cannot be loaded by this version of the app: type not found",
        };

        var page = RenderJob("12");

        Assert.Equal("GoneJob", page.Find("[data-testid=job-type]").TextContent);
        Assert.Equal("[\"{\\\"id\\\":5}\",null]", page.Find("[data-testid=job-arguments]").TextContent);
        Assert.Contains("cannot be loaded", page.Find("[data-testid=job-load-error]").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("[data-testid=enqueue-copy]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("999")]
    [InlineData("not-a-job")]
    public void Render_UnknownOrMalformedId_ShowsJobNotFound(string id)
    {
        var page = RenderJob(id);

        Assert.Contains(id, page.Find("[data-testid=job-not-found]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=requeue]"));
    }

    [Fact]
    public void Render_Operator_SeesRequeueDeleteAndEnqueueCopy()
    {
        SignIn(Policies.View, Policies.Operate);

        var page = RenderJob("42");

        Assert.NotNull(page.Find("[data-testid=requeue]"));
        Assert.NotNull(page.Find("[data-testid=delete]"));
        Assert.False(page.Find("[data-testid=enqueue-copy]").HasAttribute("disabled"));
    }

    [Fact]
    public void Render_Viewer_SeesNoActions()
    {
        SignIn(Policies.View);

        var page = RenderJob("42");

        Assert.Empty(page.FindAll("[data-testid=requeue]"));
        Assert.Empty(page.FindAll("[data-testid=delete]"));
        Assert.Empty(page.FindAll("[data-testid=enqueue-copy]"));
    }

    [Fact]
    public void ClickRequeue_Operator_CallsTheCommandWithUserAndShowsResult()
    {
        SignIn(Policies.View, Policies.Operate);
        var page = RenderJob("42");

        page.Find("[data-testid=requeue]").Click();

        Assert.Equal([("requeue", "ann@example.test", "42")], _commands.Calls);
        Assert.Contains("requeue 42 done", page.Find("[data-testid=command-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ClickDelete_Operator_AsksFirstAndDeletesOnlyOnConfirmation()
    {
        SignIn(Policies.View, Policies.Operate);
        var page = RenderJob("42");

        page.Find("[data-testid=delete]").Click();
        Assert.Contains("Delete job 42?", page.Find("[data-testid=delete-question]").TextContent, StringComparison.Ordinal);
        Assert.Empty(_commands.Calls);
        page.Find("[data-testid=cancel-delete]").Click();
        Assert.Empty(page.FindAll("[data-testid=confirm-delete]"));
        Assert.Empty(_commands.Calls);

        page.Find("[data-testid=delete]").Click();
        page.Find("[data-testid=confirm-delete]").Click();

        Assert.Equal([("delete", "ann@example.test", "42")], _commands.Calls);
    }

    [Fact]
    public void ClickEnqueueCopy_Operator_CopiesAndNavigatesToTheNewJob()
    {
        SignIn(Policies.View, Policies.Operate);
        _queries.Jobs["43"] = JobViews.Enqueued("43", "default");
        var page = RenderJob("42");

        page.Find("[data-testid=enqueue-copy]").Click();

        Assert.Equal([("enqueue-copy", "ann@example.test", "42")], _commands.Calls);
        Assert.Equal("http://localhost/jobs/43", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task SnapshotPushed_JobChangedState_PageShowsTheNewState()
    {
        _queries.Jobs["8"] = JobViews.RetryScheduled("8", retries: 1, nextRetry: Snapshots.Now.AddSeconds(4));
        var page = RenderJob("8");
        Assert.Equal("Scheduled", page.Find("[data-testid=job-state]").TextContent.Trim());

        _queries.Jobs["8"] = JobViews.Processing("8", "host-a:101:aaaa", "worker-1");
        await page.InvokeAsync(() => _source.PushAsync(OverviewState.Loading));

        Assert.Equal("Processing", page.Find("[data-testid=job-state]").TextContent.Trim());
        Assert.Equal("Processing", page.FindAll("[data-testid=history-entry]")[0].GetAttribute("data-state"));
    }

    [Fact]
    public void Dispose_Page_Unsubscribes()
    {
        var page = RenderJob("42");
        Assert.Equal(1, _source.SubscriberCount);

        page.Instance.Dispose();

        Assert.Equal(0, _source.SubscriberCount);
    }

    private IRenderedComponent<JobDetails> RenderJob(string id) => Render<JobDetails>(p => p.Add(x => x.Id, id));

    private void SignIn(params string[] policies) => Auth.SetAuthorized("ann@example.test").SetPolicies(policies);
}
