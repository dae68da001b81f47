using Bunit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Jobs;

public sealed class JobsBrowserPageTests : DashboardTestContext
{
    private readonly FakeJobSearchQueries _queries = new();

    public JobsBrowserPageTests() => Services.AddSingleton<IJobSearchQueries>(_queries);

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void Render_Rows_ShowsEachJobWithLinkQueueStateAndError()
    {
        _queries.Page = new JobPage([FakeJobSearchQueries.Row(42), FakeJobSearchQueries.Row(41, "Succeeded", "DiagnosticsJob", "critical")], null, null);
        _queries.Count = new CappedCount(2, false);

        var page = Render<JobsBrowser>();

        var rows = page.FindAll("[data-testid=jobs-rows] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal("jobs/42", page.FindAll("[data-testid=job-link]")[0].GetAttribute("href"));
        Assert.Contains("SendEmailJob.RunAsync", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("TimeoutException: Timed out after 42 ms", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("critical", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Succeeded", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("2 matching", page.Find("[data-testid=match-count]").TextContent.Trim());
    }

    [Fact]
    public void Render_NoRows_SaysNothingMatches()
    {
        var page = Render<JobsBrowser>();

        Assert.NotNull(page.Find("[data-testid=jobs-empty]"));
        Assert.Empty(page.FindAll("[data-testid=jobs-rows]"));
    }

    [Fact]
    public void Render_StorageFails_ShowsAReferenceNotTheDatabaseError()
    {
        _queries.Failure = new InvalidOperationException("database is down");

        var page = Render<JobsBrowser>();

        var error = page.Find("[data-testid=jobs-error]");
        Assert.Equal("false", error.GetAttribute("data-timed-out"));
        Assert.Contains("Reference", error.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("database is down", error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SearchStoppedByTheStatementTimeout_SaysSoAndKeepsTheFilterToNarrow()
    {
        _queries.Failure = StatementTimeout.Error();
        Navigation.NavigateTo("/jobs?q=order%2042");

        var page = Render<JobsBrowser>();

        var error = page.Find("[data-testid=jobs-error]");
        Assert.Equal("true", error.GetAttribute("data-timed-out"));
        Assert.Equal(
            "The search took longer than 5 s and was stopped. Narrow the filter (a queue, a state, a shorter time range) and try again.",
            error.TextContent.Trim());
        Assert.DoesNotContain(StatementTimeout.ServerText, page.Markup, StringComparison.Ordinal);
        // The filter is still there to narrow, with what was searched for.
        Assert.Equal("order 42", page.Find("input[data-testid=filter-text]").GetAttribute("value"));
    }

    [Fact]
    public void Render_QueryString_ReachesTheQuery()
    {
        Navigation.NavigateTo("/jobs?state=FAILED&type=SendEmail&queue=critical&exception=Timeout&q=order%2042&from=2026-01-02T03:04&to=2026-01-03&sig=X%3A%20y&after=123&size=20");

        var page = Render<JobsBrowser>();

        var (filter, request) = _queries.Finds[^1];
        Assert.Equal(new JobFilter("Failed", "SendEmail", "critical", "Timeout", "order 42",
            new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero), "X: y"), filter);
        Assert.Equal(new JobPageRequest(After: 123, Size: 20), request);
        Assert.Equal("SendEmail", page.Find("input[data-testid=filter-type]").GetAttribute("value"));
        Assert.Equal("2026-01-02T03:04", page.Find("input[data-testid=filter-from]").GetAttribute("value"));
    }

    [Fact]
    public void ApplyFilters_NewValues_WrittenToTheUrlAndTheCursorDropped()
    {
        Navigation.NavigateTo("/jobs?state=failed&after=500");
        var page = Render<JobsBrowser>();

        page.Find("input[data-testid=filter-type]").Change("DeliverWebhookJob");
        page.Find("input[data-testid=filter-text]").Change("needle");
        page.Find("[data-testid=apply-filters]").Click();

        var query = Query();
        Assert.Equal("failed", query["state"]);
        Assert.Equal("DeliverWebhookJob", query["type"]);
        Assert.Equal("needle", query["q"]);
        Assert.Null(query["after"]);
        Assert.Equal("DeliverWebhookJob", _queries.Finds[^1].Filter.JobType);
    }

    [Fact]
    public void Older_ThenNewer_FollowTheCursorsThroughTheUrl()
    {
        _queries.Page = new JobPage([FakeJobSearchQueries.Row(100), FakeJobSearchQueries.Row(90)], Older: 90, Newer: null);
        var page = Render<JobsBrowser>();
        Assert.True(page.Find("[data-testid=newer]").HasAttribute("disabled"));

        page.Find("[data-testid=older]").Click();

        Assert.Equal("90", Query()["after"]);
        Assert.Equal(new JobPageRequest(After: 90), _queries.Finds[^1].Page);

        _queries.Page = new JobPage([FakeJobSearchQueries.Row(80)], Older: null, Newer: 80);
        page.Find("[data-testid=size-100]").Click();
        Assert.Equal("100", Query()["size"]);
        Assert.Null(Query()["after"]);
    }

    [Fact]
    public void Render_UnknownState_ExplainsWithoutQuerying()
    {
        Navigation.NavigateTo("/jobs?state=exploded");

        var page = Render<JobsBrowser>();

        var message = page.Find("[data-testid=unknown-state]").TextContent;
        Assert.Contains("exploded", message, StringComparison.Ordinal);
        Assert.Contains("failed", message, StringComparison.Ordinal);
        Assert.Empty(_queries.Finds);
    }

    [Fact]
    public void Render_StateTabs_ShowCappedCountsAndLinkToTheirState()
    {
        Navigation.NavigateTo("/jobs?type=SendEmailJob");
        _queries.StateCounts["Failed"] = new CappedCount(10_000, true);
        _queries.StateCounts["Awaiting"] = new CappedCount(3, false);

        var page = Render<JobsBrowser>();

        var failed = page.Find("[data-testid=state-failed]");
        Assert.Contains("Failed (10,000+)", failed.TextContent, StringComparison.Ordinal);
        Assert.Contains("state=failed", failed.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("type=SendEmailJob", failed.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("Awaiting (3)", page.Find("[data-testid=state-awaiting]").TextContent, StringComparison.Ordinal);
    }

    private System.Collections.Specialized.NameValueCollection Query() =>
        System.Web.HttpUtility.ParseQueryString(new Uri(Navigation.Uri).Query);
}
