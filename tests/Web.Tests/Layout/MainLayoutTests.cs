using Bunit;
using Dashboard.Web.Components.Layout;
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

    private static string? Theme(IRenderedComponent<CascadingValue<bool>> layout) =>
        layout.Find("[data-testid=theme-toggle]").GetAttribute("data-theme");

    private IRenderedComponent<CascadingValue<bool>> RenderLayout(bool darkMode) =>
        Render<CascadingValue<bool>>(p => p
            .Add(c => c.Name, "InitialDarkMode")
            .Add(c => c.Value, darkMode)
            .AddChildContent<MainLayout>(l => l.Add(m => m.Body, (RenderFragment)(b => b.AddContent(0, "page body")))));
}
