using System.Net;
using System.Text.RegularExpressions;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Web.Components.Pages.Users;
using Dashboard.Web.Security;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Security;

/// <summary>What each role may reach, checked on the server: pages, Hangfire's own UI and the user commands.</summary>
public sealed partial class PermissionTests(SecurityApp app, PostgresServerFixture postgres) : IClassFixture<SecurityApp>
{
    [Fact]
    public async Task Get_ViewerOpensUsers_IsSentToAccessDenied403()
    {
        var viewer = await app.CreateUserAsync(UserRoles.Viewer);
        using var client = await app.SignedInClientAsync(viewer.Email!);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative), ct)).StatusCode);
        var users = await client.GetAsync(new Uri("/users", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.Redirect, users.StatusCode);
        Assert.Equal("/account/access-denied", users.Headers.Location!.AbsolutePath);
        var denied = await client.GetAsync(users.Headers.Location, ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("Access denied", await denied.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hangfire_Viewer_SeesPagesButCannotDeleteJobs()
    {
        var jobId = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        var viewer = await app.CreateUserAsync(UserRoles.Viewer);
        using var client = await app.SignedInClientAsync(viewer.Email!);
        var ct = TestContext.Current.CancellationToken;

        var page = await client.GetStringAsync(new Uri($"/hangfire/jobs/details/{jobId}", UriKind.Relative), ct);
        Assert.DoesNotContain($"data-ajax=\"/hangfire/jobs/actions/delete/{jobId}\"", page, StringComparison.Ordinal);

        // With a valid antiforgery token, so the refusal is the read-only rule and not a missing token.
        var delete = await DeleteThroughHangfireAsync(client, jobId, page);

        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal("Enqueued", JobState(jobId));
        var audited = Assert.Single(await app.AuditAsync("hangfire.delete"), a => a.Target == jobId);
        Assert.Equal((viewer.Email, "Denied"), (audited.UserName, audited.Outcome));
    }

    [Fact]
    public async Task Hangfire_Operator_CanDeleteJobs()
    {
        var jobId = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        var operatorUser = await app.CreateUserAsync(UserRoles.Operator);
        using var client = await app.SignedInClientAsync(operatorUser.Email!);
        var ct = TestContext.Current.CancellationToken;
        var page = await client.GetStringAsync(new Uri($"/hangfire/jobs/details/{jobId}", UriKind.Relative), ct);
        Assert.Contains($"data-ajax=\"/hangfire/jobs/actions/delete/{jobId}\"", page, StringComparison.Ordinal);

        var delete = await DeleteThroughHangfireAsync(client, jobId, page);

        Assert.True(delete.IsSuccessStatusCode, $"operator delete: {delete.StatusCode}");
        Assert.Equal("Deleted", JobState(jobId));
        var audited = Assert.Single(await app.AuditAsync("hangfire.delete"), a => a.Target == jobId);
        Assert.Equal((operatorUser.Email, "Succeeded"), (audited.UserName, audited.Outcome));

        // And an administrator reading the audit trail sees it there.
        using var admin = await app.SignedInClientAsync(SecurityApp.AdminEmail, SecurityApp.AdminPassword);
        var trail = await admin.GetStringAsync(new Uri("/audit?action=hangfire.delete", UriKind.Relative), ct);
        Assert.Contains(jobId, trail, StringComparison.Ordinal);
        Assert.Contains(operatorUser.Email!, trail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hangfire_OperatorBatchRequeueAndTrigger_AreAuditedWithTheirIds()
    {
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var first = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        var second = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        var operatorUser = await app.CreateUserAsync(UserRoles.Operator);
        using var browser = await app.SignedInClientAsync(operatorUser.Email!);
        var page = await browser.GetStringAsync(new Uri("/hangfire/jobs/enqueued", UriKind.Relative), TestContext.Current.CancellationToken);

        var requeue = await PostToHangfireAsync(browser, "/hangfire/jobs/enqueued/requeue", page, [first, second]);
        var trigger = await PostToHangfireAsync(browser, "/hangfire/recurring/trigger", page, ["no-such-recurring-job"]);
        var stats = await PostToHangfireAsync(browser, "/hangfire/stats", page, []);

        Assert.True(requeue.IsSuccessStatusCode, $"requeue: {requeue.StatusCode}");
        Assert.True(stats.IsSuccessStatusCode, $"stats: {stats.StatusCode}");
        var requeued = Assert.Single(await app.AuditAsync("hangfire.requeue"), a => a.UserName == operatorUser.Email);
        Assert.Equal(($"{first}, {second}", "Succeeded", "from enqueued"), (requeued.Target, requeued.Outcome, requeued.Details));
        var triggered = Assert.Single(await app.AuditAsync("hangfire.trigger"), a => a.UserName == operatorUser.Email);
        Assert.Equal("no-such-recurring-job", triggered.Target);
        Assert.Equal(trigger.IsSuccessStatusCode ? "Succeeded" : "Failed", triggered.Outcome);
        // The statistics poll changes nothing and is not an action.
        Assert.Empty(await app.AuditAsync("hangfire.command"));
    }

    [Fact]
    public async Task UserAdministration_ViewerPrincipal_IsDeniedAuditedAndChangesNothing()
    {
        var viewer = await app.CreateUserAsync(UserRoles.Viewer);
        var principal = await app.PrincipalAsync(viewer.Email!);
        var administration = app.Services.GetRequiredService<IUserAdministration>();
        var ct = TestContext.Current.CancellationToken;

        var create = await administration.CreateAsync(principal, new NewUser("sneaky@example.com", "Sneaky", UserRoles.Admin, null), ct);
        var promote = await administration.ChangeRoleAsync(principal, viewer.Id, UserRoles.Admin, ct);

        Assert.Equal(UserCommandOutcome.Denied, create.Outcome);
        Assert.Equal(UserCommandOutcome.Denied, promote.Outcome);
        Assert.Null(await FindAsync("sneaky@example.com"));
        Assert.False((await app.PrincipalAsync(viewer.Email!)).IsInRole(UserRoles.Admin));
        Assert.Contains(await app.AuditAsync("user.create"), a => a.UserName == viewer.Email && a.Outcome == "Denied" && a.Target == "sneaky@example.com");
        Assert.Contains(await app.AuditAsync("user.role-change"), a => a.UserName == viewer.Email && a.Outcome == "Denied" && a.Target == viewer.Email);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => administration.ListAsync(principal, ct));
    }

    [Fact]
    public async Task UserAdministration_AdminCreatesUser_GeneratedPasswordSignsInAndIsAudited()
    {
        var admin = await app.PrincipalAsync(SecurityApp.AdminEmail);
        var administration = app.Services.GetRequiredService<IUserAdministration>();
        var ct = TestContext.Current.CancellationToken;

        var result = await administration.CreateAsync(admin, new NewUser("new-operator@example.com", "New Operator", UserRoles.Operator, null), ct);

        Assert.Equal(UserCommandOutcome.Succeeded, result.Outcome);
        Assert.NotNull(result.Password);
        using var client = await app.SignedInClientAsync("new-operator@example.com", result.Password);
        var row = Assert.Single(await administration.ListAsync(admin, ct), u => u.Email == "new-operator@example.com");
        Assert.Equal(UserRoles.Operator, row.Role);
        var audited = Assert.Single(await app.AuditAsync("user.create"), a => a.Target == "new-operator@example.com");
        Assert.Equal((SecurityApp.AdminEmail, "Succeeded"), (audited.UserName, audited.Outcome));
    }

    [Fact]
    public async Task UserAdministration_WeakPasswordOrTakenEmail_FailsAuditedAndCreatesNothing()
    {
        var admin = await app.PrincipalAsync(SecurityApp.AdminEmail);
        var administration = app.Services.GetRequiredService<IUserAdministration>();
        var ct = TestContext.Current.CancellationToken;

        var weak = await administration.CreateAsync(admin, new NewUser("weak@example.com", "Weak", UserRoles.Viewer, "password"), ct);
        var taken = await administration.CreateAsync(admin, new NewUser(SecurityApp.AdminEmail, "Again", UserRoles.Viewer, null), ct);

        Assert.Equal(UserCommandOutcome.Failed, weak.Outcome);
        Assert.Contains("12 characters", weak.Message, StringComparison.Ordinal);
        Assert.Equal(UserCommandOutcome.Failed, taken.Outcome);
        Assert.Null(await FindAsync("weak@example.com"));
        Assert.Contains(await app.AuditAsync("user.create"), a => a.Target == "weak@example.com" && a.Outcome == "Failed" && a.UserName == SecurityApp.AdminEmail);
    }

    [Fact]
    public async Task UserAdministration_LastAdminDemotesOrDisablesSelf_Fails()
    {
        // A database of its own: other tests here add administrators.
        await using var own = new SecurityApp(postgres);
        var admin = await own.PrincipalAsync(SecurityApp.AdminEmail);
        var administration = own.Services.GetRequiredService<IUserAdministration>();
        await own.CreateUserAsync(UserRoles.Viewer);
        var self = (await administration.ListAsync(admin, TestContext.Current.CancellationToken)).Single(u => u.Email == SecurityApp.AdminEmail).Id;

        var demote = await administration.ChangeRoleAsync(admin, self, UserRoles.Viewer, TestContext.Current.CancellationToken);
        var disable = await administration.SetDisabledAsync(admin, self, disabled: true, TestContext.Current.CancellationToken);

        Assert.Equal(UserCommandOutcome.Failed, demote.Outcome);
        Assert.Equal(UserCommandOutcome.Failed, disable.Outcome);
        Assert.True((await own.PrincipalAsync(SecurityApp.AdminEmail)).IsInRole(UserRoles.Admin));
    }

    /// <summary>What Hangfire's own page script sends for its Delete button, antiforgery header included.</summary>
    private static async Task<HttpResponseMessage> DeleteThroughHangfireAsync(HttpClient client, string jobId, string page)
    {
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "Hangfire's page carries the antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/hangfire/jobs/actions/delete/{jobId}", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([]),
        };
        request.Headers.Add(WebUtility.HtmlDecode(token.Groups["header"].Value), WebUtility.HtmlDecode(token.Groups["token"].Value));
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> PostToHangfireAsync(HttpClient client, string path, string page, IEnumerable<string> ids)
    {
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "Hangfire's page carries the antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(ids.Select(id => new KeyValuePair<string, string>("jobs[]", id))),
        };
        request.Headers.Add(WebUtility.HtmlDecode(token.Groups["header"].Value), WebUtility.HtmlDecode(token.Groups["token"].Value));
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<Dashboard.Data.Entities.DashboardUser?> FindAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Dashboard.Data.Entities.DashboardUser>>().FindByNameAsync(email);
    }

    private string? JobState(string jobId) =>
        app.Services.GetRequiredService<JobStorage>().GetConnection().GetStateData(jobId)?.Name;

    [GeneratedRegex("""<meta name="csrf-header" content="(?<header>[^"]+)">\s*<meta name="csrf-token" content="(?<token>[^"]+)">""")]
    private static partial Regex AntiforgeryToken();
}
