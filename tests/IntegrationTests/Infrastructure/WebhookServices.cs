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
    /// <summary>The first signing secret (<c>SigningSecret</c>), plain text: its UTF-8 bytes are the key.</summary>
    public const string Secret = "test-secret-0123456789abcdef0123456789";

    /// <summary>The second, rotated-in secret (<c>Secrets:0</c>), in the Standard Webhooks form.</summary>
    public const string SecondSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /// <summary>The opt-in every test that delivers to a loopback listener needs: loopback is refused by default.</summary>
    public static readonly IReadOnlyDictionary<string, string?> LoopbackOptIn = new Dictionary<string, string?>
    {
        ["Dashboard:Webhooks:AllowPrivateNetworks:0"] = "127.0.0.0/8",
        ["Dashboard:Webhooks:AllowPrivateNetworks:1"] = "::1/128",
    };

    private readonly IHost _host;

    private WebhookServices(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<WebhookServices> CreateAsync(
        string connectionString, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken, bool allowLoopback = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Dashboard:Webhooks:SigningSecret"] = Secret,
            ["Dashboard:Webhooks:Secrets:0"] = SecondSecret,
            ["Dashboard:Webhooks:Timeout"] = "00:00:05",
        });
        if (allowLoopback)
        {
            builder.Configuration.AddInMemoryCollection(LoopbackOptIn);
        }

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
