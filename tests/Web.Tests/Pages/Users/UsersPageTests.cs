using Bunit;
using Dashboard.Web.Components.Pages.Users;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Dashboard.Web.Tests.Pages.Users;

public sealed class UsersPageTests : DashboardTestContext
{
    private readonly FakeUserAdministration _admin = new();

    public UsersPageTests()
    {
        Services.AddSingleton<IUserAdministration>(_admin);
        _admin.Users.Add(new UserRow("u1", "ann@example.com", "Ann", UserRoles.Operator, false, null, Snapshots.Now.AddDays(-3)));
        _admin.Users.Add(new UserRow("u2", "bob@example.com", "Bob", UserRoles.Viewer, true, null, Snapshots.Now.AddDays(-2)));
        _admin.Users.Add(new UserRow("u3", "cy@example.com", "Cy", UserRoles.Viewer, false, Snapshots.Now.AddMinutes(10), Snapshots.Now.AddDays(-1)));
    }

    [Fact]
    public void Render_WithUsers_ListsEachWithRoleAndStatus()
    {
        var page = RenderPage();

        var rows = page.FindAll("[data-testid=users] tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["ann@example.com", "bob@example.com", "cy@example.com"], page.FindAll("[data-testid=user-email]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["Operator", "Viewer", "Viewer"], page.FindAll("[data-testid=user-role]").Select(e => e.TextContent.Trim()));
        var status = page.FindAll("[data-testid=user-status]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal("Active", status[0]);
        Assert.Equal("Disabled", status[1]);
        Assert.StartsWith("Locked until", status[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StillLoading_ShowsProgress()
    {
        _admin.ListGate = new TaskCompletionSource();

        var page = RenderPage();

        Assert.NotNull(page.Find("[data-testid=users-loading]"));
        Assert.Empty(page.FindAll("[data-testid=users]"));
    }

    [Fact]
    public void Render_NoUsers_SaysSo()
    {
        _admin.Users.Clear();

        var page = RenderPage();

        Assert.Equal("No users yet.", page.Find("[data-testid=users-empty]").TextContent.Trim());
    }

    [Fact]
    public void Render_ListFails_SaysSoWithAReferenceNotTheDatabasesText()
    {
        _admin.ListError = new InvalidOperationException("Npgsql: database is down at 10.0.0.5:5432");

        var page = RenderPage();

        var error = page.Find("[data-testid=users-error]").TextContent;
        Assert.Contains("Reading the users failed", error, StringComparison.Ordinal);
        Assert.Contains("Reference", error, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.5", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=users-loading]"));
    }

    [Fact]
    public void Render_NotAnAdministrator_ShowsTheRefusal()
    {
        _admin.ListError = new UnauthorizedAccessException("Only administrators can list users.");

        var page = RenderPage();

        Assert.Contains("Only administrators can list users.", page.Find("[data-testid=users-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ResetPassword_Clicked_CallsServiceAsSignedInUserAndShowsPasswordOnce()
    {
        _admin.NextResult = new UserCommandResult(UserCommandOutcome.Succeeded, "New password for ann@example.com.", "Xy7-generated-Password");
        var page = RenderPage();

        page.FindAll("[data-testid=reset-password]")[0].Click();

        Assert.Equal("reset u1 by admin@example.com", Assert.Single(_admin.Calls));
        Assert.Equal("Xy7-generated-Password", page.Find("[data-testid=generated-password]").TextContent);
    }

    [Fact]
    public void Disable_Clicked_CallsServiceForThatUser()
    {
        var page = RenderPage();

        page.Find("[data-testid=disable]").Click();

        Assert.Equal("disable u1 by admin@example.com", Assert.Single(_admin.Calls));
        Assert.Contains("Done.", page.Find("[data-testid=users-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeRole_Clicked_SendsTheNewRole()
    {
        var page = RenderPage();

        page.FindAll("[data-testid=make-admin]")[1].Click();

        Assert.Equal("role u2 Admin by admin@example.com", Assert.Single(_admin.Calls));
    }

    [Fact]
    public void Create_FormFilled_SendsInputAndGeneratesPasswordWhenEmpty()
    {
        var page = RenderPage();

        page.Find("input[data-testid=new-email]").Change("dee@example.com");
        page.Find("input[data-testid=new-name]").Change("Dee");
        page.Find("[data-testid=create-user]").Click();

        Assert.Equal("create dee@example.com Dee Viewer (generate) by admin@example.com", Assert.Single(_admin.Calls));
    }

    [Fact]
    public void Command_Denied_ShowsTheRefusal()
    {
        _admin.NextResult = new UserCommandResult(UserCommandOutcome.Denied, "Only administrators can manage users.");
        var page = RenderPage();

        page.FindAll("[data-testid=reset-password]")[0].Click();

        var alert = page.Find("[data-testid=users-result]");
        Assert.Contains("Only administrators", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-text-error", alert.ClassName, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=generated-password]"));
    }

    [Fact]
    public void Render_Viewer_SeesNoActions()
    {
        Auth.SetAuthorized("viewer@example.com").SetRoles(UserRoles.Viewer);
        Auth.SetPolicies(Policies.View);

        var page = RenderPage();

        Assert.Equal(3, page.FindAll("[data-testid=users] tbody tr").Count);
        Assert.Empty(page.FindAll("[data-testid=create-user]"));
        Assert.Empty(page.FindAll("[data-testid=reset-password]"));
        Assert.Empty(page.FindAll("[data-testid=disable]"));
        Assert.Empty(page.FindAll("[data-testid^=make-]"));
    }

    private IRenderedComponent<MudPopoverProvider> RenderPopover() => Render<MudPopoverProvider>();

    private IRenderedComponent<Components.Pages.Users.Users> RenderPage()
    {
        RenderPopover();
        return Render<Components.Pages.Users.Users>();
    }
}
