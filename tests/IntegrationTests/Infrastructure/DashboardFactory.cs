using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// The real application, in process, on a test database. Configuration given here is read after the builder
/// (WebApplicationFactory applies it at Build), which is why the app resolves its connection string lazily.
/// </summary>
public sealed class DashboardFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory);
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            // Tests wait for jobs: poll fast where a notification could be missed.
            ["Dashboard:Hangfire:QueuePollInterval"] = "00:00:00.500",
            ["Dashboard:Hangfire:WorkerCount"] = "4",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        // One UseSetting per key: with repeated keys the first one set wins.
        foreach (var (key, value) in merged)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// Npgsql's pools are per process and outlive the app: each test app opens several (Hangfire and EF, dashboard
    /// reads, locks, readiness) on its own database, and their idle sessions would stay for minutes after the app is
    /// gone, until dozens of finished apps fill the shared test server's max_connections. Closing idle sessions of
    /// every pool when an app ends keeps the server's count to the apps still running; sessions in use elsewhere are
    /// left alone (they close when returned).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
