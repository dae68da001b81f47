using System.Net;
using Dashboard.Data.Embedded;
using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Web;

public sealed class HealthEndpointTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Healthz_AppRunning_Returns200()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase());
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_MigratedDatabase_Returns200WithReason()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase());
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("schema is up to date", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_DatabaseStoppedThenStarted_Flips503Then200()
    {
        // A server of its own: stopping the shared one would break every other test.
        var root = TempFolder.Create("readiness");
        var server = PrivatePostgresServer.Start(root, durable: false);
        try
        {
            server.EnsureDatabase("dashboard");
            await using var app = new DashboardFactory(server.ConnectionString("dashboard"));
            using var client = app.CreateClient();
            var ct = TestContext.Current.CancellationToken;
            var readyz = new Uri("/readyz", UriKind.Relative);
            var healthz = new Uri("/healthz", UriKind.Relative);

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(readyz, ct)).StatusCode);

            server.Stop();
            var down = await client.GetAsync(readyz, ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Contains("does not answer", await down.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(healthz, ct)).StatusCode);

            server.Restart(durable: false);
            await Poll.UntilAsync(
                async () => (await client.GetAsync(readyz, ct)).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30),
                "/readyz to return 200 after PostgreSQL came back");
        }
        finally
        {
            server.Stop();
            TempFolder.Delete(root);
        }
    }
}
