using Bunit;
using Dashboard.Web.Components.Layout;
using Dashboard.Web.Security;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Web.Tests.Layout;

public sealed class MainLayoutTests : DashboardTestContext
{
    [Fact]
    public void Render_ShowsTitleFromSettingsAndNavigation()
    {
        var layout = RenderLayout(darkMode: false);

        Assert.Equal("Test Dashboard", layout.Find("[data-testid=app-title]").TextContent.Trim());
        Assert.Contains(layout.FindAll("a"), a => a.TextContent.Contains("Overview", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_SignedInAdmin_ShowsNameRoleSignOutAndAdminLinks()
    {
        var layout = RenderLayout(darkMode: false);

        Assert.Equal("admin@example.com (Admin)", Normalize(layout.Find("[data-testid=current-user]").TextContent));
        var signOut = layout.Find("[data-testid=sign-out-form]");
        Assert.Equal("post", signOut.GetAttribute("method"));
        Assert.Equal("account/logout", signOut.GetAttribute("action"));
        var links = layout.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Users", links);
        Assert.Contains("API keys", links);
        Assert.Contains("Audit", links);
        Assert.Contains("Hangfire UI", links);
        Assert.Contains("Enqueue", links);
    }

    [Fact]
    public void Render_Footer_StatesTheTimePolicy()
    {
        var layout = RenderLayout(darkMode: false);

        Assert.Equal("All times are UTC.", layout.Find("[data-testid=time-policy]").TextContent.Trim());
    }

    [Fact]
    public void Render_SignedInViewer_HidesAdminLinks()
    {
        Auth.SetAuthorized("viewer@example.com").SetRoles(UserRoles.Viewer);
        Auth.SetPolicies(Policies.View);

        var layout = RenderLayout(darkMode: false);

        Assert.Equal("viewer@example.com (Viewer)", Normalize(layout.Find("[data-testid=current-user]").TextContent));
        var links = layout.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
        Assert.DoesNotContain("Users", links);
        Assert.DoesNotContain("API keys", links);
        Assert.DoesNotContain("Enqueue", links);
        Assert.Contains("Hangfire UI", links);
        Assert.Equivalent(new[] { "Overview", "Queues", "Workers", "Failed", "Jobs", "Recurring", "Job metrics" }, links.Intersect(OperatorPages).ToList(), strict: true);
    }

    private static readonly string[] OperatorPages = ["Overview", "Queues", "Workers", "Failed", "Jobs", "Recurring", "Job metrics", "Enqueue"];

    [Fact]
    public void ToggleTheme_FromLight_SwitchesToDarkAndRemembersIt()
    {
        var layout = RenderLayout(darkMode: false);

        layout.Find("[data-testid=theme-toggle]").Click();

        var call = Assert.Single(JSInterop.Invocations, i => i.Identifier == "dashboardTheme.save");
        Assert.Equal(true, call.Arguments[0]);
        Assert.Equal("dark", Theme(layout));
    }

    [Fact]
    public void Render_CookieSaidDark_StartsDark()
    {
        var layout = RenderLayout(darkMode: true);

        Assert.Equal("dark", Theme(layout));

        layout.Find("[data-testid=theme-toggle]").Click();

        Assert.Equal("light", Theme(layout));
        Assert.Equal(false, JSInterop.Invocations.Single(i => i.Identifier == "dashboardTheme.save").Arguments[0]);
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string? Theme(IRenderedComponent<CascadingValue<bool>> layout) =>
        layout.Find("[data-testid=theme-toggle]").GetAttribute("data-theme");

    private IRenderedComponent<CascadingValue<bool>> RenderLayout(bool darkMode) =>
        Render<CascadingValue<bool>>(p => p
            .Add(c => c.Name, "InitialDarkMode")
            .Add(c => c.Value, darkMode)
            .AddChildContent<MainLayout>(l => l.Add(m => m.Body, (RenderFragment)(b => b.AddContent(0, "page body")))));
}
