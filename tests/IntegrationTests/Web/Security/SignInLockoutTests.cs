using System.Net;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Security;

namespace Dashboard.IntegrationTests.Web.Security;

/// <summary>
/// Failures count per account and client address (taken from X-Forwarded-For here, which the app trusts in these
/// tests): a stranger can lock only their own address out of an account, never its owner.
/// </summary>
public sealed class SignInLockoutTests(PostgresServerFixture postgres)
{
    private const string Stranger = "203.0.113.66";
    private const string Owner = "198.51.100.20";

    [Fact]
    public async Task StrangerGuessesWrongFromTheirAddress_OwnerStillSignsInFromTheirs()
    {
        await using var app = new SecurityApp(postgres, Trusted());
        using var stranger = ClientFrom(app, Stranger);
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SecurityApp.PostLoginAsync(stranger, SecurityApp.AdminEmail, "Wrong-passw0rd!!")).StatusCode);
        }

        // The stranger's address is refused even with the right password...
        var fromStranger = await SecurityApp.PostLoginAsync(stranger, SecurityApp.AdminEmail, SecurityApp.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, fromStranger.StatusCode);
        Assert.Contains("locked", await fromStranger.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        // ...while the owner, elsewhere, signs in at once.
        using var owner = ClientFrom(app, Owner);
        var fromOwner = await SecurityApp.PostLoginAsync(owner, SecurityApp.AdminEmail, SecurityApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, fromOwner.StatusCode);

        var failures = await app.AuditAsync("signin.failed");
        Assert.Equal(5, failures.Count(f => f.RemoteIp == Stranger && f.Details == SignInThrottle.WrongPassword));
        Assert.Contains(failures, f => f.RemoteIp == Stranger && f.Details == "locked out for this address");
        Assert.DoesNotContain(failures, f => f.RemoteIp == Owner);
    }

    [Fact]
    public async Task OwnerMistypesThenSignsIn_TheCountStartsAgain()
    {
        await using var app = new SecurityApp(postgres, Trusted());
        using var owner = ClientFrom(app, Owner);
        for (var i = 0; i < 4; i++)
        {
            await SecurityApp.PostLoginAsync(owner, SecurityApp.AdminEmail, "Wrong-passw0rd!!");
        }

        Assert.Equal(HttpStatusCode.Redirect, (await SecurityApp.PostLoginAsync(owner, SecurityApp.AdminEmail, SecurityApp.AdminPassword)).StatusCode);
        using var again = ClientFrom(app, Owner);
        for (var i = 0; i < 4; i++)
        {
            await SecurityApp.PostLoginAsync(again, SecurityApp.AdminEmail, "Wrong-passw0rd!!");
        }

        // Eight failures from this address, but only four since the success: not locked.
        Assert.Equal(HttpStatusCode.Redirect, (await SecurityApp.PostLoginAsync(again, SecurityApp.AdminEmail, SecurityApp.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task AdministratorResetsThePassword_TheLockedAddressMayTryAgain()
    {
        await using var app = new SecurityApp(postgres, Trusted());
        var user = await app.CreateUserAsync(UserRoles.Operator);
        using var client = ClientFrom(app, Owner);
        for (var i = 0; i < 5; i++)
        {
            await SecurityApp.PostLoginAsync(client, user.Email!, "Wrong-passw0rd!!");
        }

        Assert.Contains("locked", await (await SecurityApp.PostLoginAsync(client, user.Email!, SecurityApp.UserPassword)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var administration = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Dashboard.Web.Components.Pages.Users.IUserAdministration>(app.Services);
        var reset = await administration.ResetPasswordAsync(await app.PrincipalAsync(SecurityApp.AdminEmail), user.Id, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, (await SecurityApp.PostLoginAsync(client, user.Email!, reset.Password!)).StatusCode);
    }

    [Fact]
    public async Task ManyAddressesGuess_TheAccountIsSlowedForEveryoneButLockedForNone()
    {
        var settings = Trusted();
        settings["Dashboard:Security:SlowdownAfterFailures"] = "3";
        await using var app = new SecurityApp(postgres, settings);
        for (var i = 0; i < 3; i++)
        {
            using var guesser = ClientFrom(app, $"192.0.2.{10 + i}");
            await SecurityApp.PostLoginAsync(guesser, SecurityApp.AdminEmail, "Wrong-passw0rd!!");
        }

        var throttle = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SignInThrottle>(app.Services);
        var gate = await throttle.CheckAsync(SecurityApp.AdminEmail.ToUpperInvariant(), Owner, TestContext.Current.CancellationToken);

        Assert.False(gate.LockedForThisAddress);
        Assert.Equal(TimeSpan.FromSeconds(2), gate.Delay);
        using var owner = ClientFrom(app, Owner);
        Assert.Equal(HttpStatusCode.Redirect, (await SecurityApp.PostLoginAsync(owner, SecurityApp.AdminEmail, SecurityApp.AdminPassword)).StatusCode);
    }

    public static TheoryData<string> HostileEmails => new()
    {
        new string('a', 2000) + "@example.com",
        "nobody@example.com\r\ninfo: Dashboard.Web.Security[0] Signed in admin@example.com",
        "nobody@example.com\nwarn: forged",
    };

    [Theory]
    [MemberData(nameof(HostileEmails))]
    public async Task HostileEmail_NormalAnswerAndOneCleanAuditRowAndLogLine(string email)
    {
        var logs = new CapturedLogs();
        await using var app = new SecurityApp(postgres, Trusted(), logs);
        using var client = ClientFrom(app, Stranger);
        var ct = TestContext.Current.CancellationToken;

        var response = await SecurityApp.PostLoginAsync(client, email, "Wrong-passw0rd!!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.Contains("Wrong email or password", body, StringComparison.Ordinal);
        var row = Assert.Single(await app.AuditAsync("signin.failed"));
        Assert.Equal(SignInThrottle.WrongPassword, row.Details);
        Assert.NotNull(row.Target);
        Assert.DoesNotContain('\r', row.Target);
        Assert.DoesNotContain('\n', row.Target);
        Assert.True(row.Target.Length <= SignInThrottle.MaxEmailLength + 10, $"target of {row.Target.Length} characters");
        Assert.StartsWith(email[..10], row.Target, StringComparison.Ordinal);
        var logged = Assert.Single(logs.Messages, m => m.Message.StartsWith("Sign-in failed for", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', logged.Message);
        Assert.DoesNotContain('\r', logged.Message);
    }

    private static Dictionary<string, string?> Trusted() => new()
    {
        ["Dashboard:Security:TrustForwardedHeaders"] = "true",
        ["Dashboard:Security:HttpsRedirection"] = "false",
    };

    private static HttpClient ClientFrom(SecurityApp app, string address)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
