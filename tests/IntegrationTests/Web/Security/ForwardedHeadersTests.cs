using System.Net;
using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Web.Security;

/// <summary>Behind a TLS-terminating proxy: the scheme and client address come from X-Forwarded-* only when trusted.</summary>
public sealed class ForwardedHeadersTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task TrustedProxy_HttpsForwarded_ServedWithoutRedirectAndClientIpAudited()
    {
        await using var app = new SecurityApp(postgres, Settings(trust: true));
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var page = await client.GetAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken);
        await SecurityApp.PostLoginAsync(client, SecurityApp.AdminEmail, "wrong-password");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(await app.AuditAsync("signin.failed"), a => a.RemoteIp == "203.0.113.7");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PlainHttp_NoForwardedProto_RedirectedToHttps(bool trust)
    {
        await using var app = new SecurityApp(postgres, Settings(trust));
        using var client = app.NewClient();
        if (!trust)
        {
            // Not trusted: a caller cannot talk its way out of the redirect with a forged header.
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        }

        var page = await client.GetAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal("https", page.Headers.Location?.Scheme);
    }

    private static Dictionary<string, string?> Settings(bool trust) => new()
    {
        ["Dashboard:Security:HttpsRedirection"] = "true",
        ["Dashboard:Security:TrustForwardedHeaders"] = trust ? "true" : "false",
        // The https port a redirect points to; behind a proxy it is the proxy's.
        ["https_port"] = "443",
    };
}
