using Bunit;
using Dashboard.Web.Components.Pages.ApiKeys;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Dashboard.Web.Tests.Pages.ApiKeys;

public sealed class ApiKeysPageTests : DashboardTestContext
{
    private readonly FakeApiKeyAdministration _keys = new();

    public ApiKeysPageTests() => Services.AddSingleton<IApiKeyAdministration>(_keys);

    [Fact]
    public void Render_Admin_ListsKeysWithPrefixCreatorAndStatus()
    {
        SignInAdmin();
        _keys.Keys.Add(new ApiKeyView(1, "billing", "dsh_AbCdEfGh", Snapshots.Now.AddDays(-2), "ada@example.test", Snapshots.Now.AddMinutes(-3), null, null));
        _keys.Keys.Add(new ApiKeyView(2, "old", "dsh_ZyXwVuTs", Snapshots.Now.AddDays(-9), "ada@example.test", null, Snapshots.Now.AddDays(-1), "bob@example.test"));

        var page = Render<ApiKeysPage>();

        var rows = page.FindAll("[data-testid=keys] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("dsh_AbCdEfGh", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Active", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("never", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("bob@example.test", rows[1].TextContent, StringComparison.Ordinal);
        // Only the active key can be revoked.
        Assert.Single(page.FindAll("[data-testid=revoke]"));
    }

    [Fact]
    public void Create_Admin_ShowsTheKeyOnceInADialog()
    {
        SignInAdmin();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();

        page.Find("input[data-testid=new-key-name]").Change("billing");
        page.Find("[data-testid=create-key]").Click();

        Assert.Equal([("ada@example.test", "billing")], _keys.Created);
        dialogs.WaitForAssertion(() => Assert.Equal(FakeApiKeyAdministration.NewKey, dialogs.Find("[data-testid=new-key]").TextContent.Trim()));
        Assert.Contains("billing", page.Find("[data-testid=keys]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeApiKeyAdministration.NewKey, page.Markup, StringComparison.Ordinal);

        dialogs.Find("[data-testid=close-key]").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain(FakeApiKeyAdministration.NewKey, dialogs.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(FakeApiKeyAdministration.NewKey, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoke_CancelThenConfirm_RevokesOnlyAfterConfirmation()
    {
        SignInAdmin();
        _keys.Keys.Add(new ApiKeyView(5, "billing", "dsh_AbCdEfGh", Snapshots.Now, "ada@example.test", null, null, null));
        var page = Render<ApiKeysPage>();

        page.Find("[data-testid=revoke]").Click();
        Assert.Empty(_keys.Revoked);
        page.Find("[data-testid=cancel-revoke]").Click();
        Assert.Empty(page.FindAll("[data-testid=confirm-revoke]"));

        page.Find("[data-testid=revoke]").Click();
        page.Find("[data-testid=confirm-revoke]").Click();

        Assert.Equal([("ada@example.test", 5L)], _keys.Revoked);
        Assert.Contains("revoked", page.Find("[data-testid=key-message]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=revoke]"));
    }

    [Fact]
    public void Render_OperatorWithoutAdminister_SeesNothingActionableAndNothingIsRead()
    {
        Auth.SetAuthorized("ann@example.test").SetRoles(UserRoles.Operator).SetPolicies(Policies.View, Policies.Operate);
        _keys.Keys.Add(new ApiKeyView(5, "billing", "dsh_AbCdEfGh", Snapshots.Now, "ada@example.test", null, null, null));

        var page = Render<ApiKeysPage>();

        Assert.NotNull(page.Find("[data-testid=not-admin]"));
        Assert.Empty(page.FindAll("[data-testid=create-key]"));
        Assert.Empty(page.FindAll("[data-testid=revoke]"));
        Assert.DoesNotContain("billing", page.Markup, StringComparison.Ordinal);
        Assert.Equal(0, _keys.ListCalls);
    }

    private void SignInAdmin() =>
        Auth.SetAuthorized("ada@example.test").SetRoles(UserRoles.Admin).SetPolicies(Policies.View, Policies.Operate, Policies.Administer);
}
