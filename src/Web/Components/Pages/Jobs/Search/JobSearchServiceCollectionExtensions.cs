using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Web.Components.Pages.Jobs.Search;

internal static class JobSearchServiceCollectionExtensions
{
    /// <summary>The job search behind the Jobs browser and the Failed page.</summary>
    public static IServiceCollection AddJobSearch(this IServiceCollection services)
    {
        services.TryAddSingleton<IJobSearchQueries, JobSearchQueries>();
        return services;
    }
}
