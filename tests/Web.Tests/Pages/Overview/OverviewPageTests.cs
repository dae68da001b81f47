using Bunit;
using Dashboard.Web.Monitoring;
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
    public void Render_AttentionItems_ListedMostSevereFirstWithLinks()
    {
        _source.Current = new OverviewState(Snapshots.Sample() with
        {
            Attention =
            [
                new AttentionItem(AttentionLevel.Error, "Queue reports has 4 waiting job(s) but no live server listens to it.", "/queues"),
                new AttentionItem(AttentionLevel.Info, "3 job(s) in Failed, waiting for an operator.", "/failed"),
            ],
        }, null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        var items = page.FindAll("[data-testid=attention-item]");
        Assert.Equal(2, items.Count);
        Assert.Contains("no live server listens", items[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("queues", items[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=all-clear]"));
    }

    [Fact]
    public void Render_NothingToAttend_SaysAllClear()
    {
        _source.Current = new OverviewState(Snapshots.Sample(), null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        Assert.Equal("Nothing needs attention.", Text(page, "all-clear"));
    }

    [Fact]
    public void Render_Throughput_DrawsOneBarPerBucketWithItsCountsAndTheErrorRate()
    {
        var minutes = Enumerable.Range(0, 60)
            .Select(i => new ThroughputPoint(Snapshots.Now.AddMinutes(i - 59), Succeeded: i == 59 ? 90 : 0, Failed: i == 59 ? 10 : 0))
            .ToList();
        var days = Enumerable.Range(0, 7).Select(i => new ThroughputPoint(Snapshots.Now.Date.AddDays(i - 6), 1_000 * i, i)).ToList();
        _source.Current = new OverviewState(Snapshots.Sample() with
        {
            Throughput = new ThroughputHistory(minutes, [], days),
        }, null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        var bars = page.FindAll("[data-testid=chart-hour] [data-testid=bar]");
        Assert.Equal(60, bars.Count);
        Assert.Equal("90", bars[^1].GetAttribute("data-succeeded"));
        Assert.Equal("10", bars[^1].GetAttribute("data-failed"));
        Assert.Contains("12:00: 90 succeeded, 10 failed", bars[^1].TextContent, StringComparison.Ordinal);
        Assert.Equal("peak 100", page.Find("[data-testid=chart-hour] [data-testid=chart-peak]").TextContent.Trim());
        Assert.Equal("10 %", Text(page, "error-rate"));
    }

    [Fact]
    public void Render_Counts_LinkToTheJobsBehindThem()
    {
        _source.Current = new OverviewState(Snapshots.Sample(), null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        var links = page.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("failed", links);
        Assert.Contains("jobs?state=succeeded", links);
        Assert.Contains("jobs?state=enqueued", links);
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
