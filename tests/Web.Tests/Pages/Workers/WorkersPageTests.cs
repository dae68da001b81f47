using Bunit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Tests.Pages.Workers;

public sealed class WorkersPageTests : DashboardTestContext
{
    private readonly FakeOverviewSource _source = new();
    private readonly FakeJobCommands _commands = new();

    public WorkersPageTests()
    {
        Services.AddSingleton<IOverviewSource>(_source);
        Services.AddSingleton<IJobCommands>(_commands);
        Services.AddSingleton(Options.Create(new MonitoringOptions()));
        var live = Snapshots.Server("web-1:101:aaaa", workers: 20) with
        {
            Vitals = new ServerVitals("web-1", 101, 150L * 1024 * 1024, 12.5, 1, 1_234, 5, null),
        };
        var stale = Snapshots.Server("worker-2:202:bbbb", workers: 10, heartbeatAge: TimeSpan.FromMinutes(2)) with
        {
            Health = ServerHealth.Stale,
            Vitals = new ServerVitals("worker-2", 202, 90L * 1024 * 1024, 0, 1, 50, 0, null),
        };
        _source.Current = new OverviewState(Snapshots.Sample(servers: [live, stale]) with
        {
            Running =
            [
                new RunningJob("11", "SendEmailJob", "web-1:101:aaaa", "w1", Snapshots.Now.AddSeconds(-30)),
                new RunningJob("12", "DeliverWebhookJob", "worker-2:202:bbbb", "w2", Snapshots.Now.AddMinutes(-3)),
            ],
        }, null, null);
    }

    [Fact]
    public void Render_Servers_ShowHealthProcessLoadAndRunningJobs()
    {
        var page = Render<Components.Pages.Workers.Workers>();

        var live = page.Find("[data-testid=server][data-server='web-1:101:aaaa']");
        Assert.Equal("Healthy", live.GetAttribute("data-health"));
        Assert.Equal("web-1 / 101", Cell(live, "process"));
        Assert.Equal("1 busy of 20", Cell(live, "busy"));
        Assert.Equal("150 MB", Cell(live, "memory"));
        Assert.Equal("12.5 %", Cell(live, "cpu"));
        Assert.Equal("3 h", Cell(live, "uptime"));
        Assert.Equal("1,234 processed, 5 failed", Cell(live, "since-start"));
        Assert.Equal("heartbeat 5 s ago", Cell(live, "heartbeat"));
        Assert.Contains("SendEmailJob", live.QuerySelector("[data-testid=running-job]")!.TextContent, StringComparison.Ordinal);

        var stale = page.Find("[data-testid=server][data-server='worker-2:202:bbbb']");
        Assert.Equal("Stale", stale.GetAttribute("data-health"));
        Assert.Equal("heartbeat 2 min ago", Cell(stale, "heartbeat"));
    }

    [Fact]
    public void Render_JobHeldByStaleServer_OfferedForRequeueToOperators()
    {
        var page = Render<Components.Pages.Workers.Workers>();

        var held = Assert.Single(page.FindAll("[data-testid=held-job]"));
        Assert.Equal("12", held.GetAttribute("data-job"));

        held.QuerySelector("[data-testid=requeue-held]")!.Click();

        Assert.Equal([("requeue", "admin@example.com", "12")], _commands.Calls);
    }

    [Fact]
    public void RequeueAll_HeldJobs_RequeuesEachThroughTheAuditedCommand()
    {
        var page = Render<Components.Pages.Workers.Workers>();

        page.Find("[data-testid=requeue-all-held]").Click();

        Assert.Equal(["12"], _commands.Calls.Select(c => c.Id));
    }

    [Fact]
    public void Render_Viewer_SeesHeldJobsButNoRequeueButtons()
    {
        Auth.SetAuthorized("viewer@example.com").SetRoles(UserRoles.Viewer);
        Auth.SetPolicies(Policies.View);

        var page = Render<Components.Pages.Workers.Workers>();

        Assert.Single(page.FindAll("[data-testid=held-job]"));
        Assert.Empty(page.FindAll("[data-testid=requeue-held]"));
        Assert.Empty(page.FindAll("[data-testid=requeue-all-held]"));
    }

    [Fact]
    public void Render_NoServers_SaysSo()
    {
        _source.Current = new OverviewState(Snapshots.Sample() with { Servers = [] }, null, null);

        var page = Render<Components.Pages.Workers.Workers>();

        Assert.Contains("No Hangfire server has reported", page.Find("[data-testid=no-servers]").TextContent, StringComparison.Ordinal);
    }

    private static string Cell(AngleSharp.Dom.IElement card, string testId) =>
        card.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();
}
