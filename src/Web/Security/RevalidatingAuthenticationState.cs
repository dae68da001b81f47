using System.Security.Claims;
using Dashboard.Data.Entities;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Security;

/// <summary>
/// A Blazor circuit keeps the user it started with for hours; this re-checks the account every
/// <see cref="SecurityOptions.SessionRevalidationInterval"/> so a disabled user, a reset password or a role change ends
/// the open session too, not only the next request's cookie.
/// </summary>
internal sealed class RevalidatingAuthenticationState(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identity,
    IOptions<SecurityOptions> security)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // Zero would make the base class spin; a second is plenty for the tests that use a tiny interval.
    protected override TimeSpan RevalidationInterval =>
        TimeSpan.FromTicks(Math.Max(security.Value.SessionRevalidationInterval.Ticks, TimeSpan.FromSeconds(1).Ticks));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // A scope per check: the circuit's own scope would keep one DbContext for the circuit's lifetime.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var principal = authenticationState.User;
        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
