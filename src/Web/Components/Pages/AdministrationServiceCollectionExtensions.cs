using Dashboard.Web.Components.Pages.ApiKeys;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Components.Pages.Jobs;

namespace Dashboard.Web.Components.Pages;

internal static class AdministrationServiceCollectionExtensions
{
    /// <summary>The audit trail, API key administration, and the audited job commands with the job details page.</summary>
    public static IServiceCollection AddAuditedAdministration(this IServiceCollection services)
    {
        services.AddSingleton<IAuditQueries, AuditQueries>();
        // Scoped (one per circuit): they evaluate policies through IAuthorizationService, whose handlers may be scoped.
        services.AddScoped<IApiKeyAdministration, ApiKeyAdministration>();
        services.AddScoped<IJobCommands, JobCommands>();
        // Scoped like the command services that use it: IAuthorizationService may be scoped.
        services.AddScoped<Operations.OperatorActions>();
        services.AddSingleton<IJobDetailsQueries, JobDetailsQueries>();
        services.AddSingleton<IWebhookDeliveryLogQueries, WebhookDeliveryLogQueries>();
        return services;
    }
}
