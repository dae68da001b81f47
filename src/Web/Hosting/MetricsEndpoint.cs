using Dashboard.Jobs.Metrics;
using Dashboard.Web.Components.Pages.Overview;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Dashboard.Web.Hosting;

/// <summary><c>GET /metrics</c> in Prometheus text format through OpenTelemetry, for every role.</summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddDashboardMetrics(this IServiceCollection services)
    {
        services.AddSingleton<DashboardMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("dashboard"))
            .WithMetrics(metrics => metrics
            .AddMeter(DashboardMetrics.MeterName, JobInstruments.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapDashboardMetrics(this WebApplication app)
    {
        // The gauges' instruments exist once this is created; OpenTelemetry then observes them on every scrape.
        app.Services.GetRequiredService<DashboardMetrics>();
        var snapshots = app.Services.GetRequiredService<OverviewSnapshotService>();
        var interval = app.Services.GetRequiredService<IOptions<UiOptions>>();

        // With no page open the snapshot service sleeps; a scrape asks for figures no older than one refresh
        // interval, so scrapers cost at most one storage read per interval per process, like open pages.
        app.UseWhen(c => c.Request.Path.Equals(Path, StringComparison.Ordinal), branch => branch.Use(async (context, next) =>
        {
            await snapshots.GetFreshAsync(interval.Value.RefreshInterval, context.RequestAborted);
            await next(context);
        }));
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous();
        return app;
    }
}
