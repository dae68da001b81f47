using Dashboard.Web.Components.Pages.Jobs.Search;

namespace Dashboard.Web.Components.Pages.Failed;

internal static class FailedServiceCollectionExtensions
{
    /// <summary>The Failed page and the Jobs browser: the shared job search, bulk operations and their commands.</summary>
    public static IServiceCollection AddFailedJobs(this IServiceCollection services)
    {
        services.AddJobSearch();
        services.AddSingleton<BulkJobOperations>();
        services.AddSingleton<IBulkProgressSource>(sp => sp.GetRequiredService<BulkJobOperations>());
        // Scoped (one per circuit): it evaluates policies through IAuthorizationService, whose handlers may be scoped.
        services.AddScoped<IFailedJobCommands, FailedJobCommands>();
        return services;
    }
}
