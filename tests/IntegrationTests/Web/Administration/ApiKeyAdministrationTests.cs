using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Components.Pages.ApiKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Administration;

public sealed class ApiKeyAdministrationTests(PostgresServerFixture postgres)
{
    private const string Diagnostics = "/api/jobs/diagnostics";

    [Fact]
    public async Task CreateUseRevoke_AdminKey_WorksUntilRevokedThen401AndAudited()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        using var client = app.CreateClient();
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<IApiKeyAdministration>();

        var created = await keys.CreateAsync(Principals.Admin, "billing", TestContext.Current.CancellationToken);

        Assert.Equal(ApiKeyCommandStatus.Succeeded, created.Status);
        var key = created.Key!;
        Assert.StartsWith("dsh_", key, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, key)).StatusCode);

        var stored = await StoredAsync(app, "billing");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), stored.Hash);
        Assert.Equal(key[..stored.Prefix.Length], stored.Prefix);
        Assert.True(stored.Prefix.Length < 16);
        Assert.Equal(Principals.AdminName, stored.CreatedBy);
        Assert.NotNull(stored.LastUsedAt);

        var revoked = await keys.RevokeAsync(Principals.Admin, stored.Id, TestContext.Current.CancellationToken);

        Assert.Equal(ApiKeyCommandStatus.Succeeded, revoked.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, key)).StatusCode);
        stored = await StoredAsync(app, "billing");
        Assert.Equal(Principals.AdminName, stored.RevokedBy);
        var audit = await AuditRows.ForAsync(app.Services, "billing");
        Assert.Equal(
            [("apikey.create", AuditOutcome.Succeeded, Principals.AdminName), ("apikey.revoke", AuditOutcome.Succeeded, Principals.AdminName)],
            audit.Select(e => (e.Action, e.Outcome, e.UserName)).ToList());
        Assert.DoesNotContain(audit, e => (e.Details ?? "").Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateWithScopeThenEdit_UiKey_StoredAndAppliedThroughHttp()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        using var client = app.CreateClient();
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<IApiKeyAdministration>();

        var created = await keys.CreateAsync(Principals.Admin, "reports", new ApiKeyScopeSettings(["diagnostics"], ["low"], 100), TestContext.Current.CancellationToken);

        Assert.Equal(ApiKeyCommandStatus.Succeeded, created.Status);
        var key = created.Key!;
        var stored = await StoredAsync(app, "reports");
        Assert.Equal(["diagnostics"], stored.Jobs!);
        Assert.Equal(["low"], stored.Queues!);
        Assert.Equal(100, stored.RequestsPerMinute);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, key, "?queue=low")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, key)).StatusCode);
        var forbidden = await PostAsync(client, key, "?queue=low", "/api/jobs/send-email");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var problem = await forbidden.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("'reports'", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem, StringComparison.Ordinal);

        // The edit applies in this process at once: the cache is dropped with the save.
        var updated = await keys.UpdateScopeAsync(Principals.Admin, stored.Id, new ApiKeyScopeSettings(["diagnostics"], null, null), TestContext.Current.CancellationToken);

        Assert.Equal(ApiKeyCommandStatus.Succeeded, updated.Status);
        stored = await StoredAsync(app, "reports");
        Assert.Equal(["diagnostics"], stored.Jobs!);
        Assert.Null(stored.Queues);
        Assert.Null(stored.RequestsPerMinute);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, key)).StatusCode);
        var listed = Assert.Single(await keys.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["diagnostics"], listed.Scope!.Jobs);
        Assert.Contains(
            await AuditRows.ForAsync(app.Services, "reports"),
            e => e is { Action: "apikey.update", Outcome: AuditOutcome.Succeeded, UserName: Principals.AdminName });
    }

    [Fact]
    public async Task CreateAndUpdate_UnknownJobOrQueueOrBadRate_InvalidAndNothingStored()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<IApiKeyAdministration>();
        await keys.CreateAsync(Principals.Admin, "reports", new ApiKeyScopeSettings(["diagnostics"], null, null), TestContext.Current.CancellationToken);
        var id = (await StoredAsync(app, "reports")).Id;

        var unknownJob = await keys.CreateAsync(Principals.Admin, "a", new ApiKeyScopeSettings(["send-mail"], null, null), TestContext.Current.CancellationToken);
        var unknownQueue = await keys.UpdateScopeAsync(Principals.Admin, id, new ApiKeyScopeSettings(null, ["urgent"], null), TestContext.Current.CancellationToken);
        var badRate = await keys.UpdateScopeAsync(Principals.Admin, id, new ApiKeyScopeSettings(null, null, 0), TestContext.Current.CancellationToken);
        var viewer = await keys.UpdateScopeAsync(Principals.Viewer, id, ApiKeyScopeSettings.Unrestricted, TestContext.Current.CancellationToken);

        Assert.Equal([ApiKeyCommandStatus.Invalid, ApiKeyCommandStatus.Invalid, ApiKeyCommandStatus.Invalid, ApiKeyCommandStatus.Denied], new[] { unknownJob, unknownQueue, badRate, viewer }.Select(r => r.Status));
        Assert.Contains("send-mail", unknownJob.Message, StringComparison.Ordinal);
        Assert.Contains("urgent", unknownQueue.Message, StringComparison.Ordinal);
        Assert.Equal(["reports"], (await keys.ListAsync(TestContext.Current.CancellationToken)).Select(k => k.Name).ToList());
        Assert.Equal(["diagnostics"], (await StoredAsync(app, "reports")).Jobs!);
    }

    [Fact]
    public async Task Authenticate_ManyRequests_LastUsedWrittenOncePerMinute()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        using var client = app.CreateClient();
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<IApiKeyAdministration>();
        var key = (await keys.CreateAsync(Principals.Admin, "ci", TestContext.Current.CancellationToken)).Key!;

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, key)).StatusCode);
        var first = (await StoredAsync(app, "ci")).LastUsedAt;
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, key)).StatusCode);

        Assert.NotNull(first);
        Assert.Equal(first, (await StoredAsync(app, "ci")).LastUsedAt);
    }

    [Fact]
    public async Task CreateAndRevoke_Viewer_DeniedAuditedAndNothingChanged()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        using var client = app.CreateClient();
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<IApiKeyAdministration>();
        var key = (await keys.CreateAsync(Principals.Admin, "payments", TestContext.Current.CancellationToken)).Key!;
        var payments = await StoredAsync(app, "payments");

        var create = await keys.CreateAsync(Principals.Viewer, "sneaky", TestContext.Current.CancellationToken);
        var revoke = await keys.RevokeAsync(Principals.Operator, payments.Id, TestContext.Current.CancellationToken);

        Assert.Equal(ApiKeyCommandStatus.Denied, create.Status);
        Assert.Null(create.Key);
        Assert.Equal(ApiKeyCommandStatus.Denied, revoke.Status);
        Assert.Equal(["payments"], (await keys.ListAsync(TestContext.Current.CancellationToken)).Select(k => k.Name).ToList());
        Assert.Null((await StoredAsync(app, "payments")).RevokedAt);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, key)).StatusCode);
        Assert.Equal(
            [("apikey.create", AuditOutcome.Denied, Principals.ViewerName)],
            (await AuditRows.ForAsync(app.Services, "sneaky")).Select(e => (e.Action, e.Outcome, e.UserName)).ToList());
        Assert.Contains(
            (await AuditRows.ForAsync(app.Services, "payments")),
            e => e is { Action: "apikey.revoke", Outcome: AuditOutcome.Denied, UserName: Principals.OperatorName });
    }

    [Fact]
    public async Task Create_NameTakenOrBlank_InvalidAndNoSecondKey()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:ApiKeys:configured"] = "configured-key-0123456789",
        });
        using var client = app.CreateClient();
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<IApiKeyAdministration>();
        await keys.CreateAsync(Principals.Admin, "reports", TestContext.Current.CancellationToken);

        var duplicate = await keys.CreateAsync(Principals.Admin, "reports", TestContext.Current.CancellationToken);
        var blank = await keys.CreateAsync(Principals.Admin, "  ", TestContext.Current.CancellationToken);
        var configured = await keys.CreateAsync(Principals.Admin, "Configured", TestContext.Current.CancellationToken);

        Assert.All([duplicate, blank, configured], r => Assert.Equal(ApiKeyCommandStatus.Invalid, r.Status));
        Assert.All([duplicate, blank, configured], r => Assert.Null(r.Key));
        Assert.Equal(["reports"], (await keys.ListAsync(TestContext.Current.CancellationToken)).Select(k => k.Name).ToList());
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, "configured-key-0123456789")).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string key, string query = "", string path = Diagnostics)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path + query, UriKind.Relative))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<ApiKey> StoredAsync(DashboardFactory app, string name)
    {
        var contexts = app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using var context = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await context.ApiKeys.AsNoTracking().SingleAsync(k => k.Name == name, TestContext.Current.CancellationToken);
    }
}
