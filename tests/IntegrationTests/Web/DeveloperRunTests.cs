using System.Net;
using Dashboard.Data.Embedded;
using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Web;

/// <summary>
/// What a newcomer gets from <c>dotnet run --project src/Web</c>: no connection string, Development, a private
/// PostgreSQL started and stopped by the app.
/// </summary>
public sealed class DeveloperRunTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Run_NoConnectionString_StartsPrivatePostgresServesAndStopsOnCtrlC()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = TempFolder.Create("devrun");
        try
        {
            await using var app = AppProcess.Start(new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Dashboard__Database__Embedded__Directory"] = root,
            });

            var url = await app.WaitForUrlAsync(TimeSpan.FromSeconds(90));
            Assert.Contains("starting the private PostgreSQL", app.Output, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = url };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("readyz", UriKind.Relative), ct)).StatusCode);
            await SignInWithGeneratedPasswordAsync(app, url, root);
            var postmaster = ReadPostmasterPid(root);
            Assert.True(ProcessInfo.IsAlive(postmaster));

            app.Signal(AppProcess.SigInt);

            Assert.True(await app.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app should exit after Ctrl+C\n" + app.Output);
            Assert.Equal(0, app.ExitCode);
            await Poll.UntilAsync(() => !ProcessInfo.IsAlive(postmaster), TimeSpan.FromSeconds(10), "the private PostgreSQL to stop with the app");
        }
        finally
        {
            StopLeftover(root);
            TempFolder.Delete(root);
        }
    }

    /// <summary>The first administrator's generated password is printed once and saved; it signs in.</summary>
    private static async Task SignInWithGeneratedPasswordAsync(AppProcess app, Uri url, string root)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(root, "admin-password.txt"), TestContext.Current.CancellationToken);
        Assert.Equal("admin@localhost", lines[0]);
        Assert.Contains($"password: {lines[1]}", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[1], app.Output.Replace($"password: {lines[1]}", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var client = new HttpClient(handler) { BaseAddress = url };

        var response = await Security.SecurityApp.PostLoginAsync(client, lines[0], lines[1]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Run_NoPostgresBinaries_ExitsWithOneMessageNamingBothFixes()
    {
        var root = TempFolder.Create("nobinaries");
        try
        {
            await using var app = AppProcess.Start(new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Dashboard__Database__Embedded__Directory"] = Path.Combine(root, "pg"),
                ["Dashboard__Database__Embedded__BinDirectory"] = root,
            });

            Assert.True(await app.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app should stop by itself\n" + app.Output);
            Assert.Equal(2, app.ExitCode);
            Assert.Contains("Dashboard cannot start: PostgreSQL was not found", app.Output, StringComparison.Ordinal);
            Assert.Contains("install PostgreSQL", app.Output, StringComparison.Ordinal);
            Assert.Contains("ConnectionStrings__Postgres", app.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", app.Output, StringComparison.Ordinal);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public async Task Run_ProductionWithoutConnectionString_RefusesToStartAPrivateServer()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string?>());

        Assert.True(await app.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app should stop by itself\n" + app.Output);
        Assert.Equal(2, app.ExitCode);
        Assert.Contains("ConnectionStrings:Postgres is not set", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PortTaken_ExitsWithOneMessage()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = postgres.CreateDatabase(),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        });

        Assert.True(await app.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app should stop by itself\n" + app.Output);
        Assert.Equal(3, app.ExitCode);
        Assert.Contains("Dashboard cannot start:", app.Output, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_URLS", app.Output, StringComparison.Ordinal);
    }

    private static int ReadPostmasterPid(string root) =>
        int.Parse(File.ReadLines(Path.Combine(root, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    private static void StopLeftover(string root)
    {
        // If the app died without stopping its server, do not leave a postmaster running after the test.
        if (File.Exists(Path.Combine(root, "data", "postmaster.pid")))
        {
            PrivatePostgresServer.Start(root, durable: false).Stop();
        }
    }
}
