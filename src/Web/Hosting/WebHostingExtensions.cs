using Dashboard.Web.Components.Shared;
using System.Text.Json;
using Dashboard.Data;
using Dashboard.Jobs.Hosting;
using Dashboard.Web.Api;
using Dashboard.Web.Components;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Components.Pages.Enqueue;
using Dashboard.Web.Components.Pages.Failed;
using Dashboard.Web.Components.Pages.JobMetrics;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Components.Pages.Recurring;
using Dashboard.Web.Components.Pages.Users;
using Dashboard.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Dashboard.Web.Hosting;

public static class WebHostingExtensions
{
    /// <summary>Health endpoints and /metrics for every role; the Blazor UI and the HTTP API for the <c>web</c> role.</summary>
    public static WebApplicationBuilder AddDashboardWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton<ReadFailures>();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("database", tags: ["ready"]);
        builder.AddValidatedOptions<UiOptions>(UiOptions.Section);
        builder.AddValidatedOptions<MonitoringOptions>(MonitoringOptions.Section);
        builder.AddValidatedOptions<ScalingOptions>(ScalingOptions.Section);
        // Every role exports /metrics from the live snapshot, so the snapshot service runs in every role (it reads
        // storage only while a page is open or a scraper asks).
        services.AddOverview();
        services.AddDashboardMetrics();

        if (!DashboardRoles.From(builder.Configuration).Web)
        {
            return builder;
        }

        // Package assets (MudBlazor's _content/) sit in the NuGet cache until publish copies them. The SDK maps them
        // only in Development; map them in every environment so the build output also runs as Production (the
        // multi-process tests do). A published app has no such map, and this does nothing there.
        builder.WebHost.UseStaticWebAssets();

        builder.AddDashboardSecurity();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        services.AddDataProtection().SetApplicationName("Dashboard");
        // The repository reaches the database only when keys are first read, not while the pipeline is being built.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IDbContextFactory<DashboardDbContext>>)));

        services.AddRecurringJobsPage();
        services.AddJobMetricsPage();
        services.AddEnqueue();
        services.AddFailedJobs();
        services.AddUserAdministration();
        services.AddJobsApi();
        services.AddAuditedAdministration();
        return builder;
    }

    public static WebApplication MapDashboardWeb(this WebApplication app)
    {
        var roles = DashboardRoles.From(app.Configuration);
        MapOperationalEndpoints(app);
        app.Lifetime.ApplicationStarted.Register(() => AnnounceUrl(app, roles));

        // A worker-only process serves nothing else: no pages, no /hangfire, no /api, no account endpoints (404).
        if (!roles.Web)
        {
            return app;
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseDashboardTransportSecurity();

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Our own files (wwwroot/ copied next to the binaries) are served before routing, so the static-assets
        // endpoints, which know only MudBlazor's and the framework's files, never see these requests.
        app.UseStaticFiles();
        app.UseRouting();
        app.UseDashboardSignIn();
        app.UseAntiforgery();
        // The sign-in page needs its stylesheet and scripts before anyone has signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapJobsApi();
        app.MapDashboardAccount();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// The endpoints of every role, worker-only included: probes and scrapers never sign in. <c>/metrics</c> belongs
    /// here too, mapped before the role check so worker replicas export it.
    /// </summary>
    private static void MapOperationalEndpoints(WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.MapDashboardMetrics();
    }

    private static void AnnounceUrl(WebApplication app, DashboardRoles roles)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = addresses?.FirstOrDefault() ?? "http://localhost:5000";
        url = url.Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal);
        if (!url.EndsWith('/'))
        {
            url += "/";
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dashboard");
        if (roles.Web)
        {
            StartupLog.Ready(logger, roles.ToString(), url);
        }
        else
        {
            StartupLog.WorkerReady(logger, roles.ToString(), url);
        }
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }
}
