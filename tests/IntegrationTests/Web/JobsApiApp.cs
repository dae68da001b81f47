using System.Net.Http.Headers;
using System.Text;
using Dashboard.IntegrationTests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dashboard.IntegrationTests.Web;

/// <summary>
/// One running app (web and worker) for all HTTP API tests, with two configured keys in the short form (every job) and
/// scoped keys in the long form. Its database holds only the jobs these tests create, so counting the job table before
/// and after a request shows whether it enqueued anything.
/// </summary>
public sealed class JobsApiApp : IAsyncDisposable
{
    public const string CiKey = "ci-key-0123456789abcdef";
    public const string OtherKey = "other-key-fedcba9876543210";

    /// <summary>"scoped": diagnostics only, into queue low only.</summary>
    public const string ScopedKey = "scoped-key-0123456789abcdef";

    /// <summary>"auditee": diagnostics only; only the audit test uses it, so its once-a-minute audit slot is its own.</summary>
    public const string AuditedKey = "auditee-key-0123456789abcdef";

    /// <summary>"slow": every job, 2 requests per minute; only the rate test uses it.</summary>
    public const string SlowKey = "slow-key-0123456789abcdef";

    private readonly string _connectionString;
    private readonly DashboardFactory _factory;

    public JobsApiApp(PostgresServerFixture postgres)
    {
        _connectionString = postgres.CreateDatabase();
        _factory = new DashboardFactory(_connectionString, new Dictionary<string, string?>
        {
            ["Dashboard:ApiKeys:ci"] = CiKey,
            ["Dashboard:ApiKeys:other"] = OtherKey,
            ["Dashboard:ApiKeys:scoped:Key"] = ScopedKey,
            ["Dashboard:ApiKeys:scoped:Jobs:0"] = "diagnostics",
            ["Dashboard:ApiKeys:scoped:Queues:0"] = "low",
            ["Dashboard:ApiKeys:auditee:Key"] = AuditedKey,
            ["Dashboard:ApiKeys:auditee:Jobs:0"] = "diagnostics",
            ["Dashboard:ApiKeys:slow:Key"] = SlowKey,
            ["Dashboard:ApiKeys:slow:RequestsPerMinute"] = "2",
        });
        Client = _factory.CreateClient();
    }

    public HttpClient Client { get; }

    public JobStorage Storage => _factory.Services.GetRequiredService<JobStorage>();

    public IServiceProvider Services => _factory.Services;

    public async Task<long> JobCountAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM hangfire.job", connection);
        return (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>A POST as another service would send it; null <paramref name="json"/> sends no body at all.</summary>
    public async Task<HttpResponseMessage> PostAsync(
        string path, string? json, string? key = CiKey, string mediaType = "application/json", string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, key);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
