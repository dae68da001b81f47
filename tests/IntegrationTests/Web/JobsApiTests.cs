using System.Net;
using System.Text;
using System.Text.Json;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Hangfire;
using Hangfire.States;

namespace Dashboard.IntegrationTests.Web;

public sealed class JobsApiTests(JobsApiApp app) : IClassFixture<JobsApiApp>
{
    private const string Diagnostics = "/api/jobs/diagnostics";

    [Fact]
    public async Task Post_ValidArguments_Returns202AndJobSucceeds()
    {
        var before = await app.JobCountAsync();

        var response = await app.PostAsync(Diagnostics, """{ "sleepMs": 20, "payloadBytes": 16 }""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await JsonAsync(response)).GetProperty("jobId").GetString()!;
        Assert.Equal($"/jobs/{jobId}", response.Headers.Location?.OriginalString);
        Assert.Equal(before + 1, await app.JobCountAsync());
        await Poll.UntilAsync(() => StateOf(app.Storage, jobId) == SucceededState.StateName, TimeSpan.FromSeconds(30), $"job {jobId} to succeed");
        var job = app.Storage.GetMonitoringApi().JobDetails(jobId).Job;
        Assert.Equal(typeof(DiagnosticsJob), job.Type);
        Assert.Equal(new DiagnosticsArgs(SleepMs: 20, FailUntilAttempt: 0, PayloadBytes: 16), job.Args[0]);
    }

    [Fact]
    public async Task Post_QueueOverride_EnqueuedInThatQueue()
    {
        var response = await app.PostAsync(Diagnostics + "?queue=low", """{ "sleepMs": 0 }""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await JsonAsync(response)).GetProperty("jobId").GetString()!;
        await Poll.UntilAsync(() => StateOf(app.Storage, jobId) == SucceededState.StateName, TimeSpan.FromSeconds(30), $"job {jobId} to succeed");
        var enqueued = app.Storage.GetMonitoringApi().JobDetails(jobId).History.Single(h => h.StateName == EnqueuedState.StateName);
        Assert.Equal("low", enqueued.Data["Queue"]);
    }

    [Fact]
    public async Task Post_QueueOverrideForFailingJob_RetryStaysInThatQueue()
    {
        var response = await app.PostAsync(Diagnostics + "?queue=low", """{ "failUntilAttempt": 2 }""");

        var jobId = (await JsonAsync(response)).GetProperty("jobId").GetString()!;
        await Poll.UntilAsync(() => StateOf(app.Storage, jobId) == SucceededState.StateName, TimeSpan.FromSeconds(60), $"job {jobId} to succeed on its retry");
        var history = app.Storage.GetMonitoringApi().JobDetails(jobId).History;
        Assert.Contains(history, h => h.StateName == FailedState.StateName);
        Assert.True(history.Count(h => h.StateName == EnqueuedState.StateName) >= 2, "the retry was enqueued again");
        Assert.All(history.Where(h => h.StateName == EnqueuedState.StateName), h => Assert.Equal("low", h.Data["Queue"]));
    }

    [Fact]
    public async Task Post_NoBody_EnqueuesWithDefaultArguments()
    {
        var response = await app.PostAsync(Diagnostics, json: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await JsonAsync(response)).GetProperty("jobId").GetString()!;
        Assert.Equal(new DiagnosticsArgs(), app.Storage.GetMonitoringApi().JobDetails(jobId).Job.Args[0]);
    }

    [Fact]
    public async Task Post_SecondKey_Accepted()
    {
        var response = await app.PostAsync(Diagnostics, "{}", key: JobsApiApp.OtherKey);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_NoAuthorizationHeader_Returns401WithBearerChallenge()
    {
        var (response, _) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "{}", key: null), HttpStatusCode.Unauthorized);

        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Post_BasicScheme_Returns401()
    {
        var (response, _) = await AssertRejectedAsync(
            () => app.PostAsync(Diagnostics, "{}", key: Convert.ToBase64String("ci:secret"u8), scheme: "Basic"), HttpStatusCode.Unauthorized);

        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Post_UnknownKey_Returns401InvalidToken()
    {
        // As long as a real key, so only the comparison can reject it.
        var wrong = new string('x', JobsApiApp.CiKey.Length);

        var (response, _) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "{}", key: wrong), HttpStatusCode.Unauthorized);

        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownKeyForUnknownJob_Returns401NotRevealingJobs()
    {
        await AssertRejectedAsync(() => app.PostAsync("/api/jobs/no-such-job", "{}", key: "not-a-key-at-all-0000"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Post_UnknownJob_Returns404ListingKnownJobs()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync("/api/jobs/send-sms", "{}"), HttpStatusCode.NotFound);

        Assert.Contains("'send-sms'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("diagnostics", problem.GetProperty("knownJobs").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Post_MalformedJson_Returns400WithPosition()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "{ \"sleepMs\": 10,\n  oops }"), HttpStatusCode.BadRequest);

        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Contains("line 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_JsonArray_Returns400()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "[1, 2]"), HttpStatusCode.BadRequest);

        Assert.Contains("JSON object", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownField_Returns400NamingIt()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, """{ "sleepMs": 10, "sleepSeconds": 1 }"""), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Contains("sleepMs", errors.GetProperty("sleepSeconds")[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("sleepMs", out _));
    }

    [Fact]
    public async Task Post_PascalCaseField_Returns400NamingIt()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, """{ "SleepMs": 10 }"""), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("SleepMs", out _));
    }

    [Fact]
    public async Task Post_OutOfRangeValue_Returns400NamingCamelCaseField()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, """{ "sleepMs": -1, "failUntilAttempt": 1000 }"""), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Contains("sleepMs", errors.GetProperty("sleepMs")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("failUntilAttempt", out _));
        Assert.False(errors.TryGetProperty("SleepMs", out _));
    }

    [Fact]
    public async Task Post_WrongValueType_Returns400NamingField()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics, """{ "sleepMs": "ten" }"""), HttpStatusCode.BadRequest);

        Assert.Equal("Expected a whole number in range.", problem.GetProperty("errors").GetProperty("sleepMs")[0].GetString());
    }

    [Fact]
    public async Task Post_UnknownQueue_Returns400NamingQueue()
    {
        var (_, problem) = await AssertRejectedAsync(() => app.PostAsync(Diagnostics + "?queue=urgent", "{}"), HttpStatusCode.BadRequest);

        Assert.Contains("'urgent'", problem.GetProperty("errors").GetProperty("queue")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OversizedBody_Returns413()
    {
        var json = $$"""{ "sleepMs": 1, "pad": "{{new string('x', 64 * 1024)}}" }""";

        await AssertRejectedAsync(() => app.PostAsync(Diagnostics, json), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_OversizedBodyWithoutContentLength_Returns413()
    {
        // Without Content-Length (a streamed upload) the limit must hold on what is actually read.
        var content = new UnknownLengthContent(Encoding.UTF8.GetBytes($$"""{ "pad": "{{new string('x', 100 * 1024)}}" }"""));
        Assert.Null(content.Headers.ContentLength);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Diagnostics, UriKind.Relative)) { Content = content };
        request.Headers.Authorization = new("Bearer", JobsApiApp.CiKey);

        await AssertRejectedAsync(() => app.Client.SendAsync(request, TestContext.Current.CancellationToken), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_TextPlain_Returns415()
    {
        await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "{}", mediaType: "text/plain"), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_FormContentType_Returns415()
    {
        await AssertRejectedAsync(() => app.PostAsync(Diagnostics, "sleepMs=10", mediaType: "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType);
    }

    /// <summary>Sends, then checks the status, the problem+json body and that the job table did not grow.</summary>
    private async Task<(HttpResponseMessage Response, JsonElement Problem)> AssertRejectedAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var before = await app.JobCountAsync();

        var response = await send();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.Equal(before, await app.JobCountAsync());
        return (response, problem);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string? StateOf(JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    /// <summary>A body whose length is not known up front, so it is sent without Content-Length.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _data;

        public UnknownLengthContent(byte[] data)
        {
            _data = data;
            Headers.ContentType = new("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
