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
        var statuses = new List<HttpStatusCode>();

        // Bounded: the limit is 3 a minute, so the fourth post must already be refused.
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await SecurityApp.PostLoginAsync(client, "nobody@example.com", "Wrong-passw0rd!!")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        // Only the posts are limited: the form itself still loads.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }
}
