using Dashboard.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Security;

/// <summary>
/// Identity's sign-in manager with one rule added: a disabled account cannot sign in, and a cookie it already holds
/// stops working at the next security-stamp check (at most <see cref="SecurityOptions.SessionRevalidationInterval"/>).
/// </summary>
public sealed class DashboardSignInManager(
    UserManager<DashboardUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<DashboardUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<DashboardUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<DashboardUser> confirmation)
    : SignInManager<DashboardUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(DashboardUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<DashboardUser?> ValidateSecurityStampAsync(System.Security.Claims.ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsDisabled: true } ? null : user;
    }
}
