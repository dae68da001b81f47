using Bunit;
using Dashboard.Web.Components.Pages.Failed;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Dashboard.Web.Tests.Pages.Failed;

public sealed class FailedJobsPageTests : DashboardTestContext
{
    private const string Timeout = "System.TimeoutException: Timed out after {n} ms";
    private readonly FakeJobSearchQueries _queries = new();
    private readonly FakeJobCommands _commands = new();
    private readonly FakeBulkProgressSource _progress = new();
    private readonly FakeOverviewSource _overview = new();
    private readonly FakeFailedJobCommands _bulk;

    public FailedJobsPageTests()
    {
        _bulk = new FakeFailedJobCommands(_progress);
        Services.AddSingleton<IJobSearchQueries>(_queries);
        Services.AddSingleton<IJobCommands>(_commands);
        Services.AddSingleton<IFailedJobCommands>(_bulk);
        Services.AddSingleton<IBulkProgressSource>(_progress);
        Services.AddSingleton<IOverviewSource>(_overview);
        Auth.SetAuthorized("ann@example.test").SetPolicies(Policies.View, Policies.Operate);
        _queries.Page = new JobPage([FakeJobSearchQueries.Row(42), FakeJobSearchQueries.Row(41), FakeJobSearchQueries.Row(40)], Older: 40, Newer: null);
        _queries.Count = new CappedCount(1_234, false);
        _queries.Groups =
        [
            new ErrorGroup(Timeout, "System.TimeoutException", 1_200, ["SendEmailJob"], Snapshots.Now.AddDays(-1), Snapshots.Now),
            new ErrorGroup("System.InvalidOperationException: Order {n} missing", "System.InvalidOperationException", 34, ["DeliverWebhookJob", "SendEmailJob"], Snapshots.Now.AddHours(-5), Snapshots.Now.AddHours(-1)),
        ];
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void Render_FailedJobs_ShowsRowsCountAndErrorGroups()
    {
        var page = Render<FailedJobs>();

        Assert.Equal(3, page.FindAll("[data-testid=failed-rows] tbody tr").Count);
        Assert.Contains("Timed out after 42 ms", page.Find("[data-testid=failed-rows] tbody tr").TextContent, StringComparison.Ordinal);
        Assert.Equal("1,234 matching", page.Find("[data-testid=match-count]").TextContent.Trim());
        var groups = page.FindAll("[data-testid=error-group]");
        Assert.Equal(2, groups.Count);
        Assert.Equal("1,200", groups[0].QuerySelector("[data-testid=group-count]")!.TextContent.Trim());
        Assert.Contains(Timeout, groups[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("DeliverWebhookJob, SendEmailJob", groups[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NothingFailed_SaysSo()
    {
        _queries.Page = new JobPage([], null, null);
        _queries.Groups = [];

        var page = Render<FailedJobs>();

        Assert.NotNull(page.Find("[data-testid=failed-empty]"));
        Assert.NotNull(page.Find("[data-testid=groups-empty]"));
    }

    [Fact]
    public void Render_StorageFails_ShowsAReferenceNotTheDatabaseError()
    {
        _queries.Failure = new InvalidOperationException("database is down");

        var page = Render<FailedJobs>();

        var error = page.Find("[data-testid=failed-error]").TextContent;
        Assert.Contains("Reference", error, StringComparison.Ordinal);
        Assert.DoesNotContain("database is down", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SearchStoppedByTheStatementTimeout_AsksForANarrowerFilter()
    {
        _queries.Failure = StatementTimeout.Error();

        var page = Render<FailedJobs>();

        var error = page.Find("[data-testid=failed-error]");
        Assert.Equal("true", error.GetAttribute("data-timed-out"));
        Assert.Contains(
            "The search for failed jobs took longer than 5 s and was stopped. Narrow the filter (a queue, a state, a shorter time range) and try again.",
            error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QueryString_FiltersFailedJobsAndGroupsWithoutTheSignature()
    {
        Navigation.NavigateTo("/failed?type=SendEmailJob&queue=critical&sig=" + Uri.EscapeDataString(Timeout) + "&before=10");

        var page = Render<FailedJobs>();

        var (filter, request) = _queries.Finds[^1];
        Assert.Equal(new JobFilter("Failed", "SendEmailJob", "critical", Signature: Timeout), filter);
        Assert.Equal(new JobPageRequest(Before: 10), request);
        Assert.Equal(filter with { Signature = null }, _queries.GroupCalls[^1]);
        Assert.Contains(Timeout, page.Find("[data-testid=signature-filter]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectGroup_Click_FiltersToItThroughTheUrl()
    {
        Navigation.NavigateTo("/failed?queue=critical&after=99");
        var page = Render<FailedJobs>();

        page.FindAll("[data-testid=group-select]")[1].Click();

        var query = System.Web.HttpUtility.ParseQueryString(new Uri(Navigation.Uri).Query);
        Assert.Equal("System.InvalidOperationException: Order {n} missing", query["sig"]);
        Assert.Equal("critical", query["queue"]);
        Assert.Null(query["after"]);
        Assert.Null(query["state"]);
        Assert.Equal("System.InvalidOperationException: Order {n} missing", _queries.Finds[^1].Filter.Signature);
    }

    [Fact]
    public void RequeueRow_Click_RequeuesThatJobAsTheSignedInUser()
    {
        var page = Render<FailedJobs>();

        page.FindAll("[data-testid=requeue-row]")[1].Click();

        Assert.Equal([("requeue", "ann@example.test", "41")], _commands.Calls);
        Assert.Contains("requeue 41 done", page.Find("[data-testid=command-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteSelected_TwoTicked_DeletesEachThroughTheJobCommands()
    {
        var page = Render<FailedJobs>();

        page.FindAll("input[data-testid=select-row]")[0].Change(true);
        page.FindAll("input[data-testid=select-row]")[2].Change(true);
        Assert.Contains("(2)", page.Find("[data-testid=delete-selected]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=delete-selected]").Click();

        Assert.Equal([("delete", "ann@example.test", "40"), ("delete", "ann@example.test", "42")], _commands.Calls);
        Assert.Contains("Deleted 2 of 2 selected jobs.", page.Find("[data-testid=command-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequeueAllMatching_Confirmed_ShowsTheExactCountThenStartsAndShowsProgress()
    {
        Navigation.NavigateTo("/failed?type=SendEmailJob");
        _bulk.Preview = new MatchSnapshot(1_234, 42);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<FailedJobs>();

        page.Find("[data-testid=requeue-all]").Click();

        Assert.Contains("1,234", dialogs.Find("[data-testid=bulk-confirm-count]").TextContent, StringComparison.Ordinal);
        Assert.Contains("type=SendEmailJob", dialogs.Find("[data-testid=bulk-confirm-count]").TextContent, StringComparison.Ordinal);
        Assert.Empty(_bulk.Starts);
        dialogs.Find("[data-testid=bulk-confirm]").Click();

        var start = Assert.Single(_bulk.Starts);
        Assert.Equal(("ann@example.test", BulkAction.Requeue, new MatchSnapshot(1_234, 42)), (start.User, start.Action, start.Snapshot));
        Assert.Equal("SendEmailJob", start.Filter.JobType);
        var operation = _progress.Operations[0];
        await page.InvokeAsync(() => _progress.PushAsync(operation with { Changed = 400, Skipped = 100 }));
        page.WaitForAssertion(() => Assert.Contains("500 of 1,234 done", page.Find("[data-testid=bulk-summary]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=bulk-cancel]"));

        await page.InvokeAsync(() => _progress.PushAsync(operation with { Changed = 1_200, Skipped = 30, Errors = 4, Status = BulkStatus.Completed, FinishedAt = Snapshots.Now }));
        page.WaitForAssertion(() => Assert.Equal("Requeued 1,200, skipped 30 (already changed), failed 4.", page.Find("[data-testid=bulk-summary]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=bulk-cancel]"));
    }

    [Fact]
    public void DeleteAllMatching_DialogCancelled_StartsNothing()
    {
        _bulk.Preview = new MatchSnapshot(7, 42);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<FailedJobs>();

        page.Find("[data-testid=delete-all]").Click();
        dialogs.Find("[data-testid=bulk-confirm-cancel]").Click();

        Assert.Single(_bulk.Previews);
        Assert.Empty(_bulk.Starts);
    }

    [Fact]
    public void Cancel_RunningOperation_AsksTheServerToCancelIt()
    {
        var running = new BulkProgress(Guid.NewGuid(), BulkAction.Delete, new JobFilter("Failed"), "bob@example.test", Snapshots.Now, 100, 10, 0, 0, BulkStatus.Running, null, null);
        _progress.Operations.Add(running);
        var page = Render<FailedJobs>();

        page.Find("[data-testid=bulk-cancel]").Click();

        Assert.Equal([running.Id], _bulk.Cancels);
    }

    [Fact]
    public void Render_Viewer_SeesNoCheckboxesNorActions()
    {
        Auth.SetAuthorized("vic@example.test").SetPolicies(Policies.View);
        _progress.Operations.Add(new BulkProgress(Guid.NewGuid(), BulkAction.Requeue, new JobFilter("Failed"), "ann@example.test", Snapshots.Now, 100, 10, 0, 0, BulkStatus.Running, null, null));

        var page = Render<FailedJobs>();

        Assert.Equal(3, page.FindAll("[data-testid=failed-rows] tbody tr").Count);
        Assert.Empty(page.FindAll("[data-testid=select-row]"));
        Assert.Empty(page.FindAll("[data-testid=requeue-row]"));
        Assert.Empty(page.FindAll("[data-testid=bulk-actions]"));
        Assert.Empty(page.FindAll("[data-testid=bulk-cancel]"));
        Assert.NotNull(page.Find("[data-testid=bulk-progress]"));
    }

    [Fact]
    public async Task FailedCountChanges_FirstPageNothingSelected_ReloadsWithoutABanner()
    {
        _overview.Current = new OverviewState(Snapshots.Sample(failed: 3), null, null);
        var page = Render<FailedJobs>();
        var loads = _queries.Finds.Count;
        _queries.Page = new JobPage([FakeJobSearchQueries.Row(43), .. _queries.Page.Rows], 40, null);

        await page.InvokeAsync(() => _overview.PushAsync(new OverviewState(Snapshots.Sample(failed: 4), null, null)));

        Assert.Equal(loads + 1, _queries.Finds.Count);
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=failed-rows] tbody tr").Count));
        Assert.Empty(page.FindAll("[data-testid=new-failures]"));
        await page.InvokeAsync(() => _overview.PushAsync(new OverviewState(Snapshots.Sample(failed: 4), null, null)));
        Assert.Equal(loads + 1, _queries.Finds.Count);
    }

    [Fact]
    public async Task FailedCountChanges_SmallList_RegroupsAtOnce()
    {
        _overview.Current = new OverviewState(Snapshots.Sample(failed: 3), null, null);
        _queries.Count = new CappedCount(3, false);
        var page = Render<FailedJobs>();
        var groupings = _queries.GroupCalls.Count;

        await page.InvokeAsync(() => _overview.PushAsync(new OverviewState(Snapshots.Sample(failed: 4), null, null)));

        Assert.Equal(groupings + 1, _queries.GroupCalls.Count);
    }

    [Fact]
    public async Task FailedCountChanges_ListBeyondTheCap_KeepsRecentGroupsInsteadOfRegroupingEveryChange()
    {
        _overview.Current = new OverviewState(Snapshots.Sample(failed: 20_000), null, null);
        _queries.Count = CappedCount.Of(20_000);
        var page = Render<FailedJobs>();
        var groupings = _queries.GroupCalls.Count;

        await page.InvokeAsync(() => _overview.PushAsync(new OverviewState(Snapshots.Sample(failed: 20_001), null, null)));

        Assert.Equal(groupings, _queries.GroupCalls.Count);
    }

    [Fact]
    public async Task FailedCountChanges_RowsSelected_ShowsBannerInsteadOfMovingRows()
    {
        _overview.Current = new OverviewState(Snapshots.Sample(failed: 3), null, null);
        var page = Render<FailedJobs>();
        page.FindAll("input[data-testid=select-row]")[0].Change(true);
        var loads = _queries.Finds.Count;

        await page.InvokeAsync(() => _overview.PushAsync(new OverviewState(Snapshots.Sample(failed: 5), null, null)));

        Assert.Equal(loads, _queries.Finds.Count);
        page.WaitForAssertion(() => Assert.Contains("2 new failures", page.Find("[data-testid=new-failures]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=show-new]").Click();
        Assert.Equal(loads + 1, _queries.Finds.Count);
        Assert.Empty(page.FindAll("[data-testid=new-failures]"));
    }
}
