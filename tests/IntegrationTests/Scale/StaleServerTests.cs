using System.Text.RegularExpressions;
using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Scale;

/// <summary>A frozen worker process (SIGSTOP: a stuck VM, a debugger, a GC pause gone wrong) is shown as stale, then recovers.</summary>
public sealed class StaleServerTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Sigstop_Worker_ShownStaleOnAnotherProcessWorkersPage_ThenHealthyAfterSigcont()
    {
        await using var cluster = await ScaleCluster.CreateAsync(postgres);
        var fastHeartbeat = new Dictionary<string, string?>
        {
            ["Dashboard__Hangfire__HeartbeatInterval"] = "00:00:01",
            ["Dashboard__Metrics__FlushInterval"] = "00:00:01",
        };
        var web = await cluster.StartAsync("web,worker", new Dictionary<string, string?>(fastHeartbeat)
        {
            ["Dashboard__Monitoring__HeartbeatLateAfter"] = "00:00:03",
            ["Dashboard__Monitoring__HeartbeatStaleAfter"] = "00:00:06",
            ["Dashboard__Ui__RefreshInterval"] = "00:00:00.500",
        });
        var worker = await cluster.StartAsync("worker", fastHeartbeat);
        var workerServer = Assert.Single(await cluster.ServerIdsAsync(worker));
        var webServer = Assert.Single(await cluster.ServerIdsAsync(web));
        using var browser = new CookieSession(web.Url);
        await browser.SignInAsync(ScaleCluster.AdminEmail, ScaleCluster.AdminPassword);
        await WaitForHealthAsync(browser, workerServer, "Healthy");

        worker.Process.Signal(SigStop);
        try
        {
            await WaitForHealthAsync(browser, workerServer, "Stale");
            Assert.Equal("Healthy", HealthOf(await browser.GetStringAsync("workers"), webServer));
            // /metrics says the same, from a scrape that needs no page open.
            var metrics = await web.Http.GetStringAsync(new Uri("metrics", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(1, Gauge(metrics, "dashboard_servers", "status=\"stale\""));
            Assert.Equal(1, Gauge(metrics, "dashboard_servers", "status=\"healthy\""));
        }
        finally
        {
            worker.Process.Signal(SigCont);
        }

        await WaitForHealthAsync(browser, workerServer, "Healthy");
        var after = await web.Http.GetStringAsync(new Uri("metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(0, Gauge(after, "dashboard_servers", "status=\"stale\""));
        Assert.Equal(2, Gauge(after, "dashboard_servers", "status=\"healthy\""));
    }

    /// <summary>The value of the Prometheus series <paramref name="name"/> whose labels include <paramref name="label"/>.</summary>
    private static double Gauge(string metrics, string name, string label)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(name) + "\\{[^}]*" + Regex.Escape(label) + "[^}]*\\} (?<value>\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {name} series with {label} in:\n{metrics}");
        return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private const int SigStop = 19;
    private const int SigCont = 18;

    /// <summary>Polls the prerendered Workers page (each request also wakes the snapshot service) until the server shows <paramref name="health"/>.</summary>
    private static async Task WaitForHealthAsync(CookieSession browser, string serverId, string health)
    {
        string? last = null;
        await Poll.UntilAsync(
            async () => (last = HealthOf(await browser.GetStringAsync("workers"), serverId)) == health,
            TimeSpan.FromSeconds(60),
            $"server {serverId} to show {health} on /workers");
        Assert.Equal(health, last);
    }

    private static string? HealthOf(string html, string serverId)
    {
        var match = Regex.Match(html, "data-server=\"" + Regex.Escape(serverId) + "\"[^>]*data-health=\"(?<health>\\w+)\"");
        return match.Success ? match.Groups["health"].Value : null;
    }
}
