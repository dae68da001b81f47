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
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        // Tests wait for jobs: poll fast where a notification could be missed.
        builder.UseSetting("Dashboard:Hangfire:QueuePollInterval", "00:00:00.500");
        builder.UseSetting("Dashboard:Hangfire:WorkerCount", "4");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
