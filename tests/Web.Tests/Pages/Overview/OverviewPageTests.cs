using Bunit;
using Dashboard.Web.Components.Pages.Overview;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Overview;

public sealed class OverviewPageTests : DashboardTestContext
{
    private readonly FakeOverviewSource _source = new();

    public OverviewPageTests() => Services.AddSingleton<IOverviewSource>(_source);

    [Fact]
    public void Render_WithSnapshot_ShowsCountsFromTheSource()
    {
        _source.Current = new OverviewState(Snapshots.Sample(enqueued: 12_345, failed: 7), null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        Assert.Equal("12,345", Text(page, "count-enqueued"));
        Assert.Equal("7", Text(page, "count-failed"));
        Assert.Equal("1,234", Text(page, "count-succeeded"));
        Assert.Equal("2", Text(page, "count-processing"));
        Assert.Equal("4", Text(page, "count-scheduled"));
        Assert.Equal("1", Text(page, "count-retries"));
        Assert.Equal("2 busy of 30 workers on 2 servers", Text(page, "workers-busy"));
    }

    [Fact]
    public void Render_WithServers_ListsEachWithHeartbeatAge()
    {
        _source.Current = new OverviewState(
            Snapshots.Sample(servers: [Snapshots.Server("box-1:42:abcd", 20, TimeSpan.FromSeconds(4)), Snapshots.Server("box-2:43:ef01", 5, TimeSpan.FromMinutes(3))]),
            null,
            null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        var rows = page.FindAll("[data-testid=servers] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("box-1:42:abcd", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("4 s ago", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("3 min ago", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("critical, default", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoServers_WarnsThatJobsWillWait()
    {
        _source.Current = new OverviewState(Snapshots.Sample() with { Servers = [] }, null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        Assert.Contains("No Hangfire server is running", page.Find("[data-testid=no-servers]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=servers]"));
    }

    [Fact]
    public void Render_QueuesWaiting_ShowsEachQueueLength()
    {
        _source.Current = new OverviewState(Snapshots.Sample(), null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        var rows = page.FindAll("[data-testid=queues] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("default", rows[1], StringComparison.Ordinal);
        Assert.Contains("11", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BeforeFirstSnapshot_ShowsLoadingAndNoFigures()
    {
        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        Assert.NotNull(page.Find("[data-testid=overview-loading]"));
        Assert.Empty(page.FindAll("[data-testid=count-enqueued]"));
    }

    [Fact]
    public async Task SourcePushesNewSnapshot_PageShowsNewFigures()
    {
        _source.Current = new OverviewState(Snapshots.Sample(enqueued: 1), null, null);
        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();
        Assert.Equal("1", Text(page, "count-enqueued"));

        await page.InvokeAsync(() => _source.PushAsync(new OverviewState(Snapshots.Sample(enqueued: 99), null, null)));

        page.WaitForAssertion(() => Assert.Equal("99", Text(page, "count-enqueued")));
    }

    [Fact]
    public async Task StorageFails_PageShowsErrorAndKeepsLastFigures()
    {
        var good = Snapshots.Sample(enqueued: 5);
        _source.Current = new OverviewState(good, null, null);
        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        await page.InvokeAsync(() => _source.PushAsync(new OverviewState(good, "connection refused", Snapshots.Now)));

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("[data-testid=overview-error]").TextContent;
            Assert.Contains("connection refused", alert, StringComparison.Ordinal);
            Assert.Contains("last successful read", alert, StringComparison.Ordinal);
        });
        Assert.Equal("5", Text(page, "count-enqueued"));
    }

    [Fact]
    public async Task Dispose_Page_Unsubscribes()
    {
        Render<Dashboard.Web.Components.Pages.Overview.Overview>();
        Assert.Equal(1, _source.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, _source.SubscriberCount);
    }

    private static string Text(IRenderedComponent<Dashboard.Web.Components.Pages.Overview.Overview> page, string testId) =>
        page.Find($"[data-testid={testId}]").TextContent.Trim();
}
