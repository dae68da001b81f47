using Bunit;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Tests.Pages.Queues;

public sealed class QueuesPageTests : DashboardTestContext
{
    private readonly FakeOverviewSource _source = new();

    public QueuesPageTests()
    {
        Services.AddSingleton<IOverviewSource>(_source);
        Services.AddSingleton(Options.Create(new MonitoringOptions()));
    }

    [Fact]
    public void Render_Queues_ShowsDepthLatencyRatesDrainAndTrend()
    {
        var snapshot = Snapshots.Sample() with
        {
            Queues =
            [
                new QueueSummary("critical", 0, 1) { CompletedPerMinute = 3, DrainEstimate = TimeSpan.Zero },
                new QueueSummary("default", 1_200, 4)
                {
                    OldestEnqueuedAt = Snapshots.Now.AddMinutes(-7),
                    CompletedPerMinute = 100,
                    ArrivalPerMinute = 40,
                    DrainEstimate = TimeSpan.FromMinutes(20),
                    DepthTrend = [1_500, 1_350, 1_200],
                    Trend = QueueTrend.Shrinking,
                },
            ],
        };
        _source.Current = new OverviewState(snapshot, null, null);

        var page = Render<Components.Pages.Queues.Queues>();

        var row = page.Find("[data-testid=queue-row][data-queue=default]");
        Assert.Equal("1,200", Cell(row, "waiting"));
        Assert.Equal("4", Cell(row, "processing"));
        Assert.Equal("7 min", Cell(row, "latency"));
        Assert.Equal("100", Cell(row, "done-per-minute"));
        Assert.Equal("40", Cell(row, "arrival-per-minute"));
        Assert.Equal("~20 min", Cell(row, "drain"));
        Assert.Equal("↓ shrinking", Cell(row, "trend-direction"));
        Assert.NotNull(row.QuerySelector("[data-testid=trend] polyline"));
        Assert.Equal("jobs?state=enqueued&queue=default", row.QuerySelector("[data-testid=drill-down]")!.GetAttribute("href"));
        Assert.Equal("empty", Cell(page.Find("[data-testid=queue-row][data-queue=critical]"), "drain"));
    }

    [Fact]
    public void Render_EmptyQueue_IsListedWithZeroAndEmpty()
    {
        var snapshot = Snapshots.Sample() with { Queues = [new QueueSummary("low", 0, 0) { DrainEstimate = TimeSpan.Zero }] };
        _source.Current = new OverviewState(snapshot, null, null);

        var page = Render<Components.Pages.Queues.Queues>();

        var row = page.Find("[data-testid=queue-row][data-queue=low]");
        Assert.Equal("0", Cell(row, "waiting"));
        Assert.Equal("empty", Cell(row, "drain"));
    }

    [Fact]
    public void Render_QueueNobodyListensTo_IsMarkedAndNotDraining()
    {
        var snapshot = Snapshots.Sample() with
        {
            Queues = [new QueueSummary("reports", 9, 0) { HasListeners = false }],
        };
        _source.Current = new OverviewState(snapshot, null, null);

        var page = Render<Components.Pages.Queues.Queues>();

        var row = page.Find("[data-testid=queue-row][data-queue=reports]");
        Assert.NotNull(row.QuerySelector("[data-testid=no-listeners]"));
        Assert.Equal("not moving", Cell(row, "drain"));
    }

    [Fact]
    public async Task Push_NewSnapshot_UpdatesTheRowsLive()
    {
        _source.Current = new OverviewState(Snapshots.Sample(), null, null);
        var page = Render<Components.Pages.Queues.Queues>();
        Assert.Equal("11", Cell(page.Find("[data-testid=queue-row][data-queue=default]"), "waiting"));

        await page.InvokeAsync(() => _source.PushAsync(new OverviewState(
            Snapshots.Sample() with { Queues = [new QueueSummary("default", 77, 0)] }, null, null)));

        page.WaitForAssertion(() => Assert.Equal("77", Cell(page.Find("[data-testid=queue-row][data-queue=default]"), "waiting")));
    }

    [Fact]
    public void Render_StorageError_ShowsItWithoutATable()
    {
        _source.Current = new OverviewState(null, "connection refused", Snapshots.Now);

        var page = Render<Components.Pages.Queues.Queues>();

        Assert.Contains("connection refused", page.Find("[data-testid=overview-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=queue-table]"));
    }

    private static string Cell(AngleSharp.Dom.IElement row, string testId) =>
        row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();
}
