using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dashboard.IntegrationTests.Web.Security;

/// <summary>
/// The real app (web role) on a fresh database with a configured first administrator, and the steps a browser takes
/// to sign in: fetch the form, keep its hidden fields (antiforgery token, form name), post it with cookies.
/// </summary>
public sealed partial class SecurityApp : IAsyncDisposable
{
    public const string AdminEmail = "first-admin@example.com";
    public const string AdminPassword = "Admin-Passw0rd-for-tests";
    public const string UserPassword = "Us3r-Passw0rd-for-tests";

    private readonly WebApplicationFactory<Program> _factory;

    public SecurityApp(PostgresServerFixture postgres) : this(postgres, new Dictionary<string, string?>())
    {
    }

    internal SecurityApp(PostgresServerFixture postgres, IReadOnlyDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        ConnectionString = postgres.CreateDatabase();
        var merged = new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:Admin:Email"] = AdminEmail,
            ["Dashboard:Admin:Password"] = AdminPassword,
            // Many tests sign in against one app; the limiter has its own test.
            ["Dashboard:Security:LoginAttemptsPerMinute"] = "1000",
            // Every request re-checks the account, so a disabled user's cookie stops working at once.
            ["Dashboard:Security:SessionRevalidationInterval"] = "00:00:00",
        };
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        var factory = new DashboardFactory(ConnectionString, merged);
        _factory = logs is null ? factory : factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => _factory.Services;

    public HttpClient NewClient() =>
        _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates an account straight through Identity, the way an admin's action would.</summary>
    public async Task<DashboardUser> CreateUserAsync(string role, string? email = null, string password = UserPassword)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var user = new DashboardUser { UserName = email, Email = email, DisplayName = role, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    /// <summary>The principal a signed-in user carries (roles included), for calling services directly.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<DashboardUser>>();
        var user = await signIn.UserManager.FindByNameAsync(email) ?? throw new InvalidOperationException(email);
        return await signIn.CreateUserPrincipalAsync(user);
    }

    /// <summary>Fetches the sign-in form and posts it back filled in; returns the answer to the post.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(
        HttpClient client, string email, string password, string returnUrl = "/", string loginPath = "/account/login")
    {
        var ct = TestContext.Current.CancellationToken;
        var path = loginPath + "?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var form = await client.GetStringAsync(new Uri(path, UriKind.Relative), ct);
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        Assert.Contains("__RequestVerificationToken", fields.Keys);
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content, ct);
    }

    /// <summary>Signs in and checks it worked: the answer is a redirect to the return URL.</summary>
    public async Task<HttpClient> SignedInClientAsync(string email, string password = UserPassword)
    {
        var client = NewClient();
        var response = await PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<List<(string UserName, string Action, string? Target, string Outcome, string? Details, string? RemoteIp)>> AuditAsync(string action)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new NpgsqlCommand(
            "SELECT user_name, action, target, outcome, details, remote_ip FROM dashboard.audit_entries WHERE action = @action ORDER BY id", connection);
        query.Parameters.AddWithValue("action", action);
        var rows = new List<(string, string, string?, string, string?, string?)>();
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return rows;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();
}
