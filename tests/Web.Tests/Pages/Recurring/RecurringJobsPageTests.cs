using Bunit;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Components.Pages.Recurring;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Recurring;

public sealed class RecurringJobsPageTests : DashboardTestContext
{
    private readonly FakeRecurringJobQueries _queries = new();
    private readonly FakeRecurringJobCommands _commands = new();
    private readonly FakeOverviewSource _source = new();

    public RecurringJobsPageTests()
    {
        Services.AddSingleton<IRecurringJobQueries>(_queries);
        Services.AddSingleton<IRecurringJobCommands>(_commands);
        Services.AddSingleton<IOverviewSource>(_source);
    }

    private void SignInViewer() => Auth.SetAuthorized("vic@example.com").SetRoles(UserRoles.Viewer).SetPolicies(Policies.View);

    [Fact]
    public void Render_Jobs_RowsWithCronDescriptionNextAndLastRun()
    {
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("aggregate-metrics", "*/5 * * * *"));
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("purge-expired-data", "17 3 * * *", lastJobId: "7", lastState: "Failed"));

        var page = Render<RecurringJobs>();

        var rows = page.FindAll("[data-testid=recurring-row]");
        Assert.Equal(["aggregate-metrics", "purge-expired-data"], rows.Select(r => r.GetAttribute("data-id")));
        Assert.Equal(["Every 5 minutes", "At 03:17 every day"], page.FindAll("[data-testid=cron-description]").Select(e => e.TextContent.Trim()));
        Assert.Equal("17 3 * * *", page.FindAll("[data-testid=cron]")[1].TextContent);
        var next = rows[0].QuerySelector("[data-testid=next-run]")!.TextContent;
        Assert.Contains("in 3 min", next, StringComparison.Ordinal);
        Assert.Contains("2026-11-22 12:03:00", next, StringComparison.Ordinal);
        var lastJob = rows[1].QuerySelector("[data-testid=last-job]")!;
        Assert.Equal("/jobs/7", lastJob.GetAttribute("href"));
        Assert.Equal("Failed", rows[1].QuerySelector("[data-testid=last-state]")!.TextContent.Trim());
        Assert.Contains("2 min ago", rows[1].QuerySelector("[data-testid=last-run]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PausedJobWithErrorAndNoRuns_SaysSo()
    {
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("nightly", "0 0 L * *", paused: true, lastJobId: null, error: "Cron expression is invalid"));

        var page = Render<RecurringJobs>();

        Assert.Equal("by ann@example.com 1 h ago", page.Find("[data-testid=paused-by]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=paused]"));
        Assert.Equal("0 0 L * *", page.Find("[data-testid=cron-description]").TextContent.Trim());
        Assert.Contains("Skipped while paused", page.Find("[data-testid=next-run]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Never ran", page.Find("[data-testid=last-run]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Cron expression is invalid", page.Find("[data-testid=job-error]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=resume]"));
        Assert.Empty(page.FindAll("[data-testid=pause]"));
    }

    [Fact]
    public void Render_NoJobs_EmptyState()
    {
        var page = Render<RecurringJobs>();

        Assert.Contains("no recurring jobs", page.Find("[data-testid=no-recurring]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=recurring-row]"));
    }

    [Fact]
    public void Render_StorageError_ShowsAReferenceNotTheDatabaseError()
    {
        _queries.Failure = new InvalidOperationException("database is down");

        var page = Render<RecurringJobs>();

        var error = page.Find("[data-testid=recurring-error]").TextContent;
        Assert.Contains("Reading the recurring jobs failed", error, StringComparison.Ordinal);
        Assert.Contains("Reference", error, StringComparison.Ordinal);
        Assert.DoesNotContain("database is down", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Viewer_NoActions()
    {
        SignInViewer();
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("aggregate-metrics"));
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("paused-one", paused: true));

        var page = Render<RecurringJobs>();

        Assert.Equal(2, page.FindAll("[data-testid=recurring-row]").Count);
        foreach (var action in new[] { "trigger", "pause", "resume", "remove" })
        {
            Assert.Empty(page.FindAll($"[data-testid={action}]"));
        }
    }

    [Fact]
    public void Actions_Operator_TriggerPauseResumeCallTheCommandsAndReload()
    {
        Auth.SetAuthorized("ann@example.com").SetRoles(UserRoles.Operator).SetPolicies(Policies.View, Policies.Operate);
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("a"));
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("b", paused: true));
        var page = Render<RecurringJobs>();
        var readsBefore = _queries.Reads;

        page.FindAll("[data-testid=trigger]")[0].Click();
        page.Find("[data-testid=pause]").Click();
        page.Find("[data-testid=resume]").Click();

        Assert.Equal([("trigger", "ann@example.com", "a"), ("pause", "ann@example.com", "a"), ("resume", "ann@example.com", "b")], _commands.Calls);
        Assert.Equal("resume b done", page.Find("[data-testid=command-result]").TextContent.Trim());
        Assert.Equal(readsBefore + 3, _queries.Reads);
    }

    [Fact]
    public void Remove_AsksFirst_RemovesOnlyAfterConfirmation()
    {
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("aggregate-metrics", declared: true));
        var page = Render<RecurringJobs>();

        page.Find("[data-testid=remove]").Click();
        Assert.Empty(_commands.Calls);
        Assert.Contains("comes back at the next start unless it is disabled in configuration (Dashboard:Recurring)",
            page.Find("[data-testid=remove-question]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=cancel-remove]").Click();
        Assert.Empty(page.FindAll("[data-testid=confirm-remove]"));
        Assert.Empty(_commands.Calls);

        page.Find("[data-testid=remove]").Click();
        page.Find("[data-testid=confirm-remove]").Click();

        Assert.Equal([("remove", "admin@example.com", "aggregate-metrics")], _commands.Calls);
    }

    [Fact]
    public void Remove_JobNotDeclaredByTheApp_NoComesBackWarning()
    {
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("added-by-code", declared: false));
        var page = Render<RecurringJobs>();

        page.Find("[data-testid=remove]").Click();

        Assert.DoesNotContain("next start", page.Find("[data-testid=remove-question]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_OverviewSnapshot_ReReadsTheListAndUnsubscribesOnDispose()
    {
        var page = Render<RecurringJobs>();
        Assert.Equal(1, _source.SubscriberCount);
        _queries.Jobs.Add(FakeRecurringJobQueries.Job("new-job"));

        await _source.PushAsync(new OverviewState(Snapshots.Sample(), null, null));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=recurring-row]")));
        await DisposeComponentsAsync();
        Assert.Equal(0, _source.SubscriberCount);
    }
}
