using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dashboard.Data.Database;
using Dashboard.Data.Embedded;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

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
            // The answer is at most a second old.
            HttpResponseMessage? down = null;
            await Poll.UntilAsync(
                async () => (down = await client.GetAsync(readyz, ct)).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30),
                "/readyz to return 503 once PostgreSQL stopped");
            // The category only: not Npgsql's "Failed to connect to 127.0.0.1:<port>", which is for the log.
            var body = await down!.Content.ReadAsStringAsync(ct);
            Assert.Contains(SchemaCheck.DatabaseUnreachable, body, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Port.ToString(CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
            Assert.DoesNotContain("connect", body, StringComparison.OrdinalIgnoreCase);
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

    [Fact]
    public async Task Readyz_500ConcurrentRequests_ShareOneCheckOnOnePooledSession()
    {
        var connectionString = postgres.CreateDatabase();
        await using var app = new DashboardFactory(connectionString, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var readyz = new Uri("/readyz", UriKind.Relative);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(readyz, ct)).StatusCode);

        // Sessions ever started on this database (PostgreSQL's own count, every backend that logged in), before and
        // after the flood: one new session per probe would show as hundreds.
        var probe = app.Services.GetRequiredService<ReadinessProbe>();
        var before = await SessionsStartedAsync(connectionString);
        var checksBefore = probe.ChecksRun;
        var flood = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => client.GetAsync(readyz, ct)));
        flood.Stop();
        var checks = probe.ChecksRun - checksBefore;
        var after = await SessionsStartedAsync(connectionString);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // The counting sessions themselves are two of these.
        Assert.True(after - before <= 5, $"500 probes started {after - before} sessions");
        // At most one check a second (plus the one running when the flood began), shared by everyone who asked.
        Assert.True(checks <= (int)flood.Elapsed.TotalSeconds + 2, $"500 probes in {flood.ElapsedMilliseconds} ms ran {checks} checks");
    }

    [Fact]
    public async Task Readyz_LoginRefused_AnswersTheCategoryNotTheDatabaseError()
    {
        var admin = postgres.CreateDatabase();
        var role = "probe_" + Guid.NewGuid().ToString("N")[..10];
        var database = new NpgsqlConnectionStringBuilder(admin).Database!;
        await Sql.ExecuteAsync(admin, $"CREATE ROLE {role} LOGIN PASSWORD 'probe'; ALTER DATABASE {database} OWNER TO {role}");
        var asRole = new NpgsqlConnectionStringBuilder(admin) { Username = role, Password = "probe" }.ConnectionString;
        await using var app = new DashboardFactory(asRole, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var readyz = new Uri("/readyz", UriKind.Relative);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(readyz, ct)).StatusCode);

        // The role may no longer log in, and its sessions (the probe's pooled one included) are ended: the next
        // check must open a new session, which PostgreSQL refuses with 'role "probe_…" is not permitted to log in'.
        await Sql.ExecuteAsync(admin, $"ALTER ROLE {role} NOLOGIN");
        await Sql.ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'");
        HttpResponseMessage? down = null;
        await Poll.UntilAsync(
            async () => (down = await client.GetAsync(readyz, ct)).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30),
            "/readyz to return 503 once the login is refused");

        var body = await down!.Content.ReadAsStringAsync(ct);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(SchemaCheck.DatabaseUnreachable, json.RootElement.GetProperty("checks")[0].GetProperty("description").GetString());
        Assert.DoesNotContain(role, body, StringComparison.Ordinal);
        Assert.DoesNotContain("permitted", body, StringComparison.Ordinal);
    }

    private static async Task<long> SessionsStartedAsync(string connectionString)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        return await Sql.ScalarAsync<long>(unpooled, "SELECT sessions FROM pg_stat_database WHERE datname = current_database()");
    }
}
