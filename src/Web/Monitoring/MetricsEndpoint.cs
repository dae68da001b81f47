using Dashboard.Web.Hosting;
using Dashboard.Jobs.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Dashboard.Web.Monitoring;

/// <summary><c>GET /metrics</c> in Prometheus text format through OpenTelemetry, for every role.</summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddDashboardMetrics(this IServiceCollection services)
    {
        services.AddSingleton<DashboardMetrics>();
        // Creates the gauges when the host starts (not while the pipeline is built: resolving them reaches the
        // database, whose absence the start-up command reports as one clear message).
        services.AddHostedService<MetricsActivation>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("dashboard"))
            .WithMetrics(metrics => metrics
            .AddMeter(DashboardMetrics.MeterName, JobInstruments.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapDashboardMetrics(this WebApplication app)
    {
        // With no page open the snapshot service sleeps; a scrape asks for figures no older than one refresh
        // interval, so scrapers cost at most one storage read per interval per process, like open pages.
        app.UseWhen(c => c.Request.Path.Equals(Path, StringComparison.Ordinal), branch => branch.Use(async (context, next) =>
        {
            var snapshots = context.RequestServices.GetRequiredService<OverviewSnapshotService>();
            var interval = context.RequestServices.GetRequiredService<IOptions<UiOptions>>().Value.RefreshInterval;
            await snapshots.GetFreshAsync(interval, context.RequestAborted);
            await next(context);
        }));
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous();
        return app;
    }
}

/// <summary>Holds <see cref="DashboardMetrics"/> from host start, so its instruments exist before the first scrape.</summary>
internal sealed class MetricsActivation(DashboardMetrics metrics) : IHostedService
{
    public DashboardMetrics Metrics { get; } = metrics;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
