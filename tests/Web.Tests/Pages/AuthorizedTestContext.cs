using Bunit.TestDoubles;

namespace Dashboard.Web.Tests.Pages;

/// <summary>The dashboard test context with bUnit's fake sign-in, for pages that check policies.</summary>
public abstract class AuthorizedTestContext : DashboardTestContext
{
    protected AuthorizedTestContext() => Auth = AddAuthorization();

    protected BunitAuthorizationContext Auth { get; }
}
