namespace Dashboard.Web.Monitoring;

internal static class OverviewServiceCollectionExtensions
{
    public static IServiceCollection AddOverview(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ThroughputQueries>();
        services.AddSingleton<IOverviewQueries, OverviewQueries>();
        services.AddSingleton<LiveAnalysis>();
        services.AddSingleton<ScalingAdvisor>();
        services.AddSingleton<OverviewSnapshotService>();
        services.AddSingleton<IOverviewSource>(sp => sp.GetRequiredService<OverviewSnapshotService>());
        services.AddHostedService(sp => sp.GetRequiredService<OverviewSnapshotService>());
        return services;
    }
}
