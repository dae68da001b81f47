namespace Dashboard.Web.Components.Pages.Recurring;

internal static class RecurringServiceCollectionExtensions
{
    public static IServiceCollection AddRecurringJobsPage(this IServiceCollection services)
    {
        services.AddSingleton<IRecurringJobQueries, RecurringJobQueries>();
        // Scoped (one per circuit): it evaluates policies, like JobCommands which it reuses for Trigger.
        services.AddScoped<IRecurringJobCommands, RecurringJobCommands>();
        return services;
    }
}
