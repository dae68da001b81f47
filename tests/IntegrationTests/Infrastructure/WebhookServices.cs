using Dashboard.Data;
using Dashboard.Data.Database;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// The app's data services and webhook registrations on a fresh, migrated database, for tests that construct
/// <see cref="DeliverWebhookJob"/> with its real dependencies and call it directly.
/// </summary>
internal sealed class WebhookServices : IAsyncDisposable
{
    public const string Secret = "test-secret-0123456789abcdef0123456789";

    private readonly IHost _host;

    private WebhookServices(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<WebhookServices> CreateAsync(
        string connectionString, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Dashboard:Webhooks:SigningSecret"] = Secret,
            ["Dashboard:Webhooks:Timeout"] = "00:00:05",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddDashboardData();
        builder.AddWebhookJobs();
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        return new WebhookServices(host);
    }

    public DeliverWebhookJob CreateJob() => ActivatorUtilities.CreateInstance<DeliverWebhookJob>(_host.Services);

    public async Task<List<WebhookAttempt>> AttemptsAsync(string deliveryKey, CancellationToken cancellationToken)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(cancellationToken);
        return await db.WebhookAttempts.Where(a => a.DeliveryKey == deliveryKey).OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }
}
