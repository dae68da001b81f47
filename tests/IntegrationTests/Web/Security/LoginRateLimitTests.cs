using System.Net;
using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Web.Security;

public sealed class LoginRateLimitTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Login_MorePostsThanTheLimit_Returns429()
    {
        await using var app = new SecurityApp(postgres, new Dictionary<string, string?> { ["Dashboard:Security:LoginAttemptsPerMinute"] = "3" });
        using var client = app.NewClient();
        var responses = new List<HttpResponseMessage>();

        // Bounded: the limit is 3 a minute, so the fourth post must already be refused.
        for (var i = 0; i < 4; i++)
        {
            responses.Add(await SecurityApp.PostLoginAsync(client, "nobody@example.com", "Wrong-passw0rd!!"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], responses.Select(r => r.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(60), responses[3].Headers.RetryAfter?.Delta);
        // Only the posts are limited: the form itself still loads.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    /// <summary>
    /// Routing sends these spellings to the sign-in form too; the limit belongs to the form, so they share one count
    /// with the canonical path, and no post beyond the limit reaches the password check.
    /// </summary>
    [Fact]
    public async Task Login_EverySpellingOfThePath_SharesOneLimit()
    {
        await using var app = new SecurityApp(postgres, new Dictionary<string, string?> { ["Dashboard:Security:LoginAttemptsPerMinute"] = "3" });
        using var client = app.NewClient();
        string[] paths = ["/account/login/", "/Account/Login", "/ACCOUNT/LOGIN/", "/account/Login/", "/account/login"];
        var statuses = new List<HttpStatusCode>();

        foreach (var path in paths)
        {
            statuses.Add((await SecurityApp.PostLoginAsync(client, "nobody@example.com", "Wrong-passw0rd!!", loginPath: path)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, (await app.AuditAsync("signin.failed")).Count);
    }
}
