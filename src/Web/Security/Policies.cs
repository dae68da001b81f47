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

    public static readonly IReadOnlyList<string> ViewRoles = [UserRoles.Viewer, UserRoles.Operator, UserRoles.Admin];

    public static readonly IReadOnlyList<string> OperateRoles = [UserRoles.Operator, UserRoles.Admin];

    /// <summary>The <see cref="View"/> rule as a policy object: also the fallback for endpoints that declare none.</summary>
    public static readonly AuthorizationPolicy ViewPolicy =
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(ViewRoles).Build();

    public static AuthorizationBuilder AddDashboardPolicies(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(View, ViewPolicy)
            .AddPolicy(Operate, p => p.RequireAuthenticatedUser().RequireRole(OperateRoles))
            .AddPolicy(Administer, p => p.RequireAuthenticatedUser().RequireRole(UserRoles.Admin));
}
