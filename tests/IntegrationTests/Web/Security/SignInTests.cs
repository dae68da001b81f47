using System.Net;
using Dashboard.Web.Security;

namespace Dashboard.IntegrationTests.Web.Security;

public sealed class SignInTests(SecurityApp app) : IClassFixture<SecurityApp>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    [InlineData("/hangfire")]
    [InlineData("/account/access-denied")]
    public async Task Get_SignedOut_RedirectsToLoginWithReturnUrl(string path)
    {
        using var client = app.NewClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/account/login", location.AbsolutePath);
        Assert.Equal("?ReturnUrl=" + Uri.EscapeDataString(path), location.Query);
    }

    [Fact]
    public async Task Get_SignedOutHealthAndApi_AnswerWithoutSignIn()
    {
        using var client = app.NewClient();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/account/login", UriKind.Relative), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/css/app.css", UriKind.Relative), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/_content/MudBlazor/MudBlazor.min.css", UriKind.Relative), ct)).StatusCode);
        var api = await client.PostAsync(new Uri("/api/jobs/diagnostics", UriKind.Relative), new StringContent("{}"), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Login_ConfiguredAdmin_SetsCookieAndOverviewLoads()
    {
        using var client = app.NewClient();
        var ct = TestContext.Current.CancellationToken;

        var response = await SecurityApp.PostLoginAsync(client, SecurityApp.AdminEmail, SecurityApp.AdminPassword, "/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users", LocalPath(response));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dashboard-auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var overview = await client.GetAsync(new Uri("/", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains(SecurityApp.AdminEmail, await overview.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/users", UriKind.Relative), ct)).StatusCode);
        Assert.Contains(await app.AuditAsync("signin.succeeded"), a => a.UserName == SecurityApp.AdminEmail);
    }

    [Theory]
    [InlineData("https://evil.example.com/")]
    [InlineData("//evil.example.com/")]
    [InlineData("/\\evil.example.com/")]
    public async Task Login_ForeignReturnUrl_RedirectsHome(string returnUrl)
    {
        using var client = app.NewClient();

        var response = await SecurityApp.PostLoginAsync(client, SecurityApp.AdminEmail, SecurityApp.AdminPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", LocalPath(response));
    }

    [Fact]
    public async Task Login_WrongPassword_StaysOnFormWithErrorAndIsAudited()
    {
        var user = await app.CreateUserAsync(UserRoles.Viewer);
        using var client = app.NewClient();
        var ct = TestContext.Current.CancellationToken;

        var response = await SecurityApp.PostLoginAsync(client, user.Email!, "Wrong-passw0rd!!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/", UriKind.Relative), ct)).StatusCode);
        var failed = Assert.Single(await app.AuditAsync("signin.failed"), a => a.Target == user.Email);
        Assert.Equal("Failed", failed.Outcome);
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LocksOutEvenTheRightOne()
    {
        var user = await app.CreateUserAsync(UserRoles.Viewer);
        using var client = app.NewClient();
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SecurityApp.PostLoginAsync(client, user.Email!, "Wrong-passw0rd!!")).StatusCode);
        }

        var response = await SecurityApp.PostLoginAsync(client, user.Email!, SecurityApp.UserPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_DisabledUser_IsRefused()
    {
        var admin = await app.PrincipalAsync(SecurityApp.AdminEmail);
        var user = await app.CreateUserAsync(UserRoles.Operator);
        var administration = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Dashboard.Web.Components.Pages.Users.IUserAdministration>(app.Services);
        Assert.True((await administration.SetDisabledAsync(admin, user.Id, disabled: true, TestContext.Current.CancellationToken)).Succeeded);
        using var client = app.NewClient();

        var response = await SecurityApp.PostLoginAsync(client, user.Email!, SecurityApp.UserPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookie_UserDisabledAfterSignIn_StopsWorking()
    {
        var user = await app.CreateUserAsync(UserRoles.Operator);
        using var client = await app.SignedInClientAsync(user.Email!);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative), ct)).StatusCode);
        var administration = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Dashboard.Web.Components.Pages.Users.IUserAdministration>(app.Services);

        Assert.True((await administration.SetDisabledAsync(await app.PrincipalAsync(SecurityApp.AdminEmail), user.Id, disabled: true, ct)).Succeeded);

        var response = await client.GetAsync(new Uri("/", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Logout_Posted_EndsTheSession()
    {
        using var client = await app.SignedInClientAsync(SecurityApp.AdminEmail, SecurityApp.AdminPassword);
        var ct = TestContext.Current.CancellationToken;
        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative), ct);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);

        var unprotected = await client.PostAsync(new Uri("/account/logout", UriKind.Relative), new FormUrlEncodedContent([]), ct);
        Assert.Equal(HttpStatusCode.BadRequest, unprotected.StatusCode);
        var response = await client.PostAsync(
            new Uri("/account/logout", UriKind.Relative),
            new FormUrlEncodedContent([new("__RequestVerificationToken", System.Net.WebUtility.HtmlDecode(token))]),
            ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/", UriKind.Relative), ct)).StatusCode);
    }

    [Fact]
    public async Task Headers_LoginPageAndOverview_CarrySecurityHeaders()
    {
        using var client = await app.SignedInClientAsync(SecurityApp.AdminEmail, SecurityApp.AdminPassword);
        var ct = TestContext.Current.CancellationToken;

        foreach (var path in new[] { "/account/login", "/", "/hangfire" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            // An inline script would be blocked by that policy, so the page must not rely on one.
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", await response.Content.ReadAsStringAsync(ct));
        }
    }

    /// <summary>The redirect's path, after checking it stays on this site.</summary>
    private static string LocalPath(HttpResponseMessage response)
    {
        var location = response.Headers.Location!;
        if (location.IsAbsoluteUri)
        {
            Assert.Equal("localhost", location.Host);
            return location.PathAndQuery;
        }

        return location.OriginalString;
    }
}
