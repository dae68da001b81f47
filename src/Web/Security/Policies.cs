using Microsoft.AspNetCore.Authorization;

namespace Dashboard.Web.Security;

/// <summary>
/// Authorization policies, one per kind of action. Pages and buttons use them to decide what to show, and every
/// action checks them again on the server: hiding a button is not security.
/// </summary>
public static class Policies
{
    /// <summary>See pages and job data.</summary>
    public const string View = "View";

    /// <summary>Change jobs: requeue, delete, trigger, bulk actions, enqueue.</summary>
    public const string Operate = "Operate";

    /// <summary>Manage users and API keys.</summary>
    public const string Administer = "Administer";

    public static AuthorizationBuilder AddDashboardPolicies(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(View, p => p.RequireAuthenticatedUser().RequireRole(UserRoles.Viewer, UserRoles.Operator, UserRoles.Admin))
            .AddPolicy(Operate, p => p.RequireAuthenticatedUser().RequireRole(UserRoles.Operator, UserRoles.Admin))
            .AddPolicy(Administer, p => p.RequireAuthenticatedUser().RequireRole(UserRoles.Admin));
}
