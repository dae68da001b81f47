namespace Dashboard.Web.Components.Pages.Enqueue;

internal static class EnqueueServiceCollectionExtensions
{
    public static IServiceCollection AddEnqueue(this IServiceCollection services)
    {
        // Scoped (one per circuit): it evaluates policies through IAuthorizationService, whose handlers may be scoped.
        services.AddScoped<IEnqueueCommands, EnqueueCommands>();
        return services;
    }
}
