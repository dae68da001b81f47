namespace Dashboard.Web.Components.Pages.JobMetrics;

internal static class JobMetricsServiceCollectionExtensions
{
    public static IServiceCollection AddJobMetricsPage(this IServiceCollection services)
    {
        services.AddSingleton<IJobMetricsQueries, JobMetricsQueries>();
        return services;
    }
}
