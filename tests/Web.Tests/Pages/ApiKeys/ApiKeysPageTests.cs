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
    public void Create_WithScopeFields_SendsJobsQueuesAndRate()
    {
        SignInAdmin();
        Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();

        page.Find("input[data-testid=new-key-name]").Change("billing");
        page.Find("[data-testid=new-key-scope] input[data-testid=scope-job-send-email]").Change(true);
        page.Find("[data-testid=new-key-scope] input[data-testid=scope-job-diagnostics]").Change(true);
        page.Find("[data-testid=new-key-scope] input[data-testid=scope-queue-low]").Change(true);
        page.Find("[data-testid=new-key-scope] input[data-testid=scope-rate]").Change("30");
        page.Find("[data-testid=create-key]").Click();

        var (name, scope) = Assert.Single(_keys.CreatedScopes);
        Assert.Equal("billing", name);
        Assert.Equal(["diagnostics", "send-email"], scope.Jobs);
        Assert.Equal(["low"], scope.Queues);
        Assert.Equal(30, scope.RequestsPerMinute);
        page.WaitForAssertion(() => Assert.Contains(
            "jobs: diagnostics, send-email; queues: low; 30 requests per minute", page.Find("[data-testid=key-scope]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_NothingTicked_EveryJobEveryQueueDefaultRate()
    {
        SignInAdmin();
        Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();

        page.Find("input[data-testid=new-key-name]").Change("ci");
        page.Find("[data-testid=create-key]").Click();

        Assert.Equal(ApiKeyScopeSettings.Unrestricted, Assert.Single(_keys.CreatedScopes).Scope);
    }

    [Fact]
    public void Create_RateNotANumber_ShowsErrorAndCreatesNothing()
    {
        SignInAdmin();
        var page = Render<ApiKeysPage>();

        page.Find("input[data-testid=new-key-name]").Change("billing");
        page.Find("[data-testid=new-key-scope] input[data-testid=scope-rate]").Change("lots");
        page.Find("[data-testid=create-key]").Click();

        Assert.Empty(_keys.Created);
        Assert.Contains("whole number", page.Find("[data-testid=key-message]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EditScope_ExistingKey_StartsFromItsScopeAndSavesTheChange()
    {
        SignInAdmin();
        _keys.Keys.Add(new ApiKeyView(7, "billing", "dsh_AbCdEfGh", Snapshots.Now, "ada@example.test", null, null, null, new ApiKeyScopeSettings(["diagnostics"], ["low"], null)));
        var page = Render<ApiKeysPage>();
        Assert.Contains("jobs: diagnostics; queues: low; 600 requests per minute (default)", page.Find("[data-testid=key-scope]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=edit-scope-button]").Click();
        page.Find("[data-testid=edit-scope] input[data-testid=scope-job-send-email]").Change(true);
        page.Find("[data-testid=edit-scope] input[data-testid=scope-queue-low]").Change(false);
        page.Find("[data-testid=edit-scope] input[data-testid=scope-rate]").Change("5");
        page.Find("[data-testid=save-scope]").Click();

        var (user, id, scope) = Assert.Single(_keys.Updated);
        Assert.Equal(("ada@example.test", 7L), (user, id));
        Assert.Equal(["diagnostics", "send-email"], scope.Jobs);
        Assert.Null(scope.Queues);
        Assert.Equal(5, scope.RequestsPerMinute);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=edit-scope]")));
        Assert.Contains("jobs: diagnostics, send-email; queues: all; 5 requests per minute", page.Find("[data-testid=key-scope]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EditScope_Cancel_SavesNothing()
    {
        SignInAdmin();
        _keys.Keys.Add(new ApiKeyView(7, "billing", "dsh_AbCdEfGh", Snapshots.Now, "ada@example.test", null, null, null));
        var page = Render<ApiKeysPage>();

        page.Find("[data-testid=edit-scope-button]").Click();
        page.Find("[data-testid=edit-scope] input[data-testid=scope-job-send-email]").Change(true);
        page.Find("[data-testid=cancel-scope]").Click();

        Assert.Empty(_keys.Updated);
        Assert.Empty(page.FindAll("[data-testid=edit-scope]"));
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
