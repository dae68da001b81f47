using System.Net;
using System.Text.Json;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Api;

namespace Dashboard.IntegrationTests.Web;

/// <summary>Key scopes and rates through HTTP, with keys in the long configuration form (see <see cref="JobsApiApp"/>).</summary>
public sealed class JobsApiScopeTests(JobsApiApp app) : IClassFixture<JobsApiApp>
{
    private const string Diagnostics = "/api/jobs/diagnostics";

    [Fact]
    public async Task Post_JobOutsideScope_Returns403NamingTheKeyNotItsValue()
    {
        var (response, problem) = await AssertRejectedAsync(
            () => app.PostAsync("/api/jobs/send-email", """{ "to": "a@example.test" }""", key: JobsApiApp.ScopedKey), HttpStatusCode.Forbidden);

        Assert.Equal("scoped", problem.GetProperty("apiKey").GetString());
        Assert.Contains("'scoped' may not enqueue 'send-email'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["diagnostics"], problem.GetProperty("allowedJobs").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(JobsApiApp.ScopedKey, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_AllowedJobInAllowedQueue_Returns202()
    {
        var response = await app.PostAsync(Diagnostics + "?queue=low", "{}", key: JobsApiApp.ScopedKey);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_QueueOutsideScope_Returns403NamingTheQueue()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics + "?queue=critical", "{}", key: JobsApiApp.ScopedKey), HttpStatusCode.Forbidden);

        Assert.Contains("queue 'critical'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["low"], problem.GetProperty("allowedQueues").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Post_NoQueueAndTheJobsOwnQueueOutsideScope_Returns403()
    {
        // diagnostics declares "default", which this key may not use unless it picks "low".
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "{}", key: JobsApiApp.ScopedKey), HttpStatusCode.Forbidden);

        Assert.Contains("queue 'default'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ScopedKeyUnknownQueue_Still400NamingTheField()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics + "?queue=urgent", "{}", key: JobsApiApp.ScopedKey), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("queue", out _));
    }

    [Fact]
    public async Task Post_ScopedKeyInvalidArguments_Still400NamingTheField()
    {
        var (_, problem) = await AssertRejectedAsync(
            () => app.PostAsync(Diagnostics + "?queue=low", """{ "sleepMs": -1 }""", key: JobsApiApp.ScopedKey), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("sleepMs", out _));
    }

    [Fact]
    public async Task Post_ScopedKeyUnknownJob_404ListsOnlyTheJobsItMayEnqueue()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync("/api/jobs/send-sms", "{}", key: JobsApiApp.ScopedKey), HttpStatusCode.NotFound);

        Assert.Equal(["diagnostics"], problem.GetProperty("knownJobs").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Post_ShortFormKey_StillEnqueuesAnyJobInAnyQueue()
    {
        var critical = await app.PostAsync(Diagnostics + "?queue=critical", "{}", key: JobsApiApp.CiKey);
        var other = await app.PostAsync("/api/jobs/deliver-webhook", """{ "url": "http://127.0.0.1:9/hook" }""", key: JobsApiApp.OtherKey);

        Assert.Equal(HttpStatusCode.Accepted, critical.StatusCode);
        // Past the scope check: the answer is about the arguments, not about the key.
        Assert.NotEqual(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task Post_TwentyForbiddenRequests_OneAuditEntryNamingTheKey()
    {
        for (var i = 0; i < 20; i++)
        {
            await AssertRejectedAsync(() => app.PostAsync("/api/jobs/send-email", "{}", key: JobsApiApp.AuditedKey), HttpStatusCode.Forbidden);
        }

        // The entry is written before the first 403 is answered, so after 20 answers the trail is complete.
        var entry = Assert.Single(await AuditRows.ForAsync(app.Services, "auditee"));
        Assert.Equal((ApiKeyRefusalAudit.ForbiddenAction, AuditOutcome.Denied, "apikey:auditee"), (entry.Action, entry.Outcome, entry.UserName));
        Assert.Contains("send-email", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(JobsApiApp.AuditedKey, entry.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OverTheKeysRate_Returns429WithRetryAfterAndAuditsOnce()
    {
        // 2 a minute: the allowance refills one request every 30 s, far longer than these requests take.
        var first = await app.PostAsync(Diagnostics, "{}", key: JobsApiApp.SlowKey);
        var second = await app.PostAsync(Diagnostics, "{}", key: JobsApiApp.SlowKey);
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], new[] { first.StatusCode, second.StatusCode });

        var limited = new List<(HttpResponseMessage Response, JsonElement Problem)>();
        for (var i = 0; i < 5; i++)
        {
            limited.Add(await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "{}", key: JobsApiApp.SlowKey), (HttpStatusCode)429));
        }

        Assert.All(limited, l =>
        {
            var retryAfter = l.Response.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            Assert.Equal("slow", l.Problem.GetProperty("apiKey").GetString());
        });
        var entry = Assert.Single(await AuditRows.ForAsync(app.Services, "slow"));
        Assert.Equal((ApiKeyRefusalAudit.RateLimitedAction, AuditOutcome.Denied), (entry.Action, entry.Outcome));
    }

    /// <summary>Sends, then checks the status, the problem+json body and that the job table did not grow.</summary>
    private async Task<(HttpResponseMessage Response, JsonElement Problem)> AssertRejectedAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var before = await app.JobCountAsync();

        var response = await send();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.Equal(before, await app.JobCountAsync());
        return (response, problem);
    }
}
