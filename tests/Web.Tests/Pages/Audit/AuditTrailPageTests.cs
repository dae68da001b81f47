using Bunit;
using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Audit;

public sealed class AuditTrailPageTests : DashboardTestContext
{
    private readonly FakeAuditQueries _queries = new();

    public AuditTrailPageTests()
    {
        Services.AddSingleton<IAuditQueries>(_queries);
        Auth.SetAuthorized("ada@example.test").SetRoles(UserRoles.Admin).SetPolicies(Policies.View, Policies.Operate, Policies.Administer);
    }

    [Fact]
    public void Render_WithRows_ShowsEachRowWithColoredOutcome()
    {
        _queries.Page = new AuditPage(
        [
            Row(2, "ann@example.test", "job.requeue", "42", AuditOutcome.Succeeded),
            Row(1, "vic@example.test", "job.delete", "41", AuditOutcome.Denied),
        ], null);

        var page = Render<AuditTrail>();

        var rows = page.FindAll("[data-testid=audit-rows] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("ann@example.test", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("job.requeue", rows[0].TextContent, StringComparison.Ordinal);
        var chips = page.FindAll("[data-testid=outcome]");
        Assert.Contains("success", chips[0].ClassName, StringComparison.Ordinal);
        Assert.Contains("warning", chips[1].ClassName, StringComparison.Ordinal);
        Assert.Equal("Denied", chips[1].TextContent.Trim());
    }

    [Fact]
    public void Render_NoRows_SaysNothingMatches()
    {
        var page = Render<AuditTrail>();

        Assert.NotNull(page.Find("[data-testid=audit-empty]"));
        Assert.Empty(page.FindAll("[data-testid=audit-rows]"));
    }

    [Fact]
    public void Render_QueryFails_ShowsAReferenceNotTheDatabaseError()
    {
        _queries.Failure = new InvalidOperationException("database is down");

        var page = Render<AuditTrail>();

        var error = page.Find("[data-testid=audit-error]").TextContent;
        Assert.Contains("Reference", error, StringComparison.Ordinal);
        Assert.DoesNotContain("database is down", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QueryStoppedByTheStatementTimeout_AsksForANarrowerFilter()
    {
        _queries.Failure = StatementTimeout.Error();

        var page = Render<AuditTrail>();

        var error = page.Find("[data-testid=audit-error]");
        Assert.Equal("true", error.GetAttribute("data-timed-out"));
        Assert.Contains("The audit search took longer than 5 s and was stopped. Narrow the filter", error.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(StatementTimeout.ServerText, error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QueryStringFilters_PassedToTheQuery()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?user=ann%40example.test&action=job.requeue&outcome=denied&from=2026-01-02&to=2026-01-03&q=42");

        var page = Render<AuditTrail>();

        var filter = _queries.Calls[^1].Filter;
        Assert.Equal("ann@example.test", filter.User);
        Assert.Equal("job.requeue", filter.Action);
        Assert.Equal(AuditOutcome.Denied, filter.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), filter.From);
        // The "to" day is inclusive on the page, so the query runs up to the next midnight.
        Assert.Equal(new DateTimeOffset(2026, 1, 4, 0, 0, 0, TimeSpan.Zero), filter.To);
        Assert.Equal("42", filter.Text);
        Assert.Equal("ann@example.test", page.Find("input[data-testid=filter-user]").GetAttribute("value"));
    }

    [Fact]
    public void ApplyFilters_UserActionAndText_WrittenToTheUrl()
    {
        var page = Render<AuditTrail>();

        page.Find("input[data-testid=filter-user]").Change("ann@example.test");
        page.Find("input[data-testid=filter-action]").Change("job.delete");
        page.Find("input[data-testid=filter-text]").Change("needle");
        page.Find("[data-testid=apply-filters]").Click();

        var uri = new Uri(Services.GetRequiredService<NavigationManager>().Uri);
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("ann@example.test", query["user"]);
        Assert.Equal("job.delete", query["action"]);
        Assert.Equal("needle", query["q"]);
        Assert.Null(query["outcome"]);
    }

    [Fact]
    public void Older_NextPageExists_QueriesAfterTheCursor()
    {
        var cursor = new AuditCursor(Snapshots.Now.AddMinutes(-5), 7);
        _queries.Page = new AuditPage([Row(8, "ann@example.test", "job.requeue", "1", AuditOutcome.Succeeded)], cursor);
        var page = Render<AuditTrail>();

        page.Find("[data-testid=older]").Click();

        Assert.Equal(cursor, _queries.Calls[^1].After);
        Assert.False(page.Find("[data-testid=newer]").HasAttribute("disabled"));
    }

    [Fact]
    public void ToggleDetails_RowWithDetails_ExpandsAndCollapses()
    {
        _queries.Page = new AuditPage([Row(3, "ann@example.test", "jobs.bulk-delete", "state=Failed", AuditOutcome.Failed) with { Details = "{\"count\":12}" }], null);
        var page = Render<AuditTrail>();
        Assert.Empty(page.FindAll("[data-testid=details]"));

        page.Find("[data-testid=toggle-details]").Click();

        Assert.Contains("{\"count\":12}", page.Find("[data-testid=details]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=toggle-details]").Click();
        Assert.Empty(page.FindAll("[data-testid=details]"));
    }

    private static AuditRow Row(long id, string user, string action, string target, AuditOutcome outcome) =>
        new(id, Snapshots.Now.AddMinutes(-id), user, action, target, outcome, null, null);
}
