using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using Dashboard.Jobs.Webhooks;

namespace Dashboard.IntegrationTests.Jobs.Webhooks;

/// <summary>The job against a real HTTP listener on 127.0.0.1 and real PostgreSQL, called directly.</summary>
public sealed class DeliverWebhookJobTests(PostgresServerFixture postgres)
{
    private const string Payload = "{\"order\":42,\"total\":1.10,\"name\":\"Zoë\"}";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_Target200_DeliversOnceSignedAndLogsDelivered()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = Args(target);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using (JobAttempt.Enter(1))
        using (CurrentJob.Enter("4711"))
        {
            await services.CreateJob().RunAsync(args, Ct);
        }

        var request = Assert.Single(target.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/in?token=abc", request.PathAndQuery);
        Assert.Equal(Payload, request.Body);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("order.paid", request.Headers["X-Dashboard-Event"]);
        Assert.Equal(args.DeliveryKey, request.Headers["X-Dashboard-Delivery"]);
        var timestamp = long.Parse(request.Headers["X-Dashboard-Timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(IsValidSignature(request), $"signature {request.Headers["X-Dashboard-Signature"]} does not verify");

        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.Delivered, row.Outcome);
        Assert.Equal(200, row.StatusCode);
        Assert.Equal(1, row.Attempt);
        Assert.Equal("4711", row.JobId);
        Assert.Equal(args.Url, row.Url);
        Assert.Null(row.Error);
        Assert.True(row.DurationMs > 0);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task RunAsync_TargetAnswersRetryableStatus_ThrowsRetryableAndLogsRetryableFailure(int status)
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(status, "upstream database\nis down");
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = Args(target);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.False(RetryPolicy.IsNonRetryable(error));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains($"target answered {status}", error.Message, StringComparison.Ordinal);
        Assert.Contains("upstream database is down", error.Message, StringComparison.Ordinal);
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.RetryableFailure, row.Outcome);
        Assert.Equal(status, row.StatusCode);
        Assert.Contains("upstream database is down", row.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Target404_ThrowsNonRetryableAndLogsPermanentFailure()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(404, "no such hook");
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = Args(target);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<NonRetryableJobException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.True(RetryPolicy.IsNonRetryable(error));
        Assert.StartsWith("target answered 404 Not Found; not retried.", error.Message, StringComparison.Ordinal);
        Assert.Contains("no such hook", error.Message, StringComparison.Ordinal);
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.PermanentFailure, row.Outcome);
        Assert.Equal(404, row.StatusCode);
    }

    [Fact]
    public async Task RunAsync_TargetRedirects_DoesNotFollowAndFailsPermanently()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(307, location: target.Url("elsewhere"));
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = Args(target);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<NonRetryableJobException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.Contains("307", error.Message, StringComparison.Ordinal);
        Assert.Single(target.Requests);
        Assert.Equal(WebhookOutcome.PermanentFailure, Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct)).Outcome);
    }

    [Fact]
    public async Task RunAsync_TargetSlowerThanTimeout_ThrowsRetryableTimeout()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(200, delay: TimeSpan.FromSeconds(30));
        await using var services = await WebhookServices.CreateAsync(
            postgres.CreateDatabase(), new Dictionary<string, string?> { ["Dashboard:Webhooks:Timeout"] = "00:00:01" }, Ct);
        var args = Args(target);
        var clock = Stopwatch.StartNew();

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains("timed out after 1 s", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.RetryableFailure, row.Outcome);
        Assert.Null(row.StatusCode);
        Assert.InRange(row.DurationMs, 900, 15_000);
    }

    [Fact]
    public async Task RunAsync_JobTokenCancelled_ThrowsOperationCanceledAndLogsNothing()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(200, delay: TimeSpan.FromSeconds(30));
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = Args(target);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        using var _ = JobAttempt.Enter(1);
        var run = services.CreateJob().RunAsync(args, shutdown.Token);
        await target.WaitForRequestsAsync(1, Bound);
        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bound, Ct));
        Assert.Empty(await services.AttemptsAsync(args.DeliveryKey, Ct));
    }

    [Fact]
    public async Task RunAsync_NothingListening_ThrowsRetryableConnectionError()
    {
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = new DeliverWebhookArgs(NewKey(), $"http://127.0.0.1:{ClosedPort()}/hook", "order.paid", Payload);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.Contains("request failed", error.Message, StringComparison.Ordinal);
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.RetryableFailure, row.Outcome);
        Assert.Null(row.StatusCode);
    }

    [Fact]
    public async Task RunAsync_RetriedUntilDelivered_RowsHaveIncreasingAttemptsAndOneDeliveryKey()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(503).Then(500).Then(204);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = Args(target);
        var job = services.CreateJob();

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            using var _ = JobAttempt.Enter(attempt);
            await Assert.ThrowsAsync<WebhookDeliveryException>(() => job.RunAsync(args, Ct));
        }

        using (JobAttempt.Enter(3))
        {
            await job.RunAsync(args, Ct);
        }

        var rows = await services.AttemptsAsync(args.DeliveryKey, Ct);
        Assert.Equal([1, 2, 3], rows.Select(r => r.Attempt));
        Assert.Equal([503, 500, 204], rows.Select(r => r.StatusCode));
        Assert.Equal(
            [WebhookOutcome.RetryableFailure, WebhookOutcome.RetryableFailure, WebhookOutcome.Delivered],
            rows.Select(r => r.Outcome));
        Assert.All(target.Requests, r => Assert.Equal(args.DeliveryKey, r.Headers["X-Dashboard-Delivery"]));
        Assert.All(target.Requests, r => Assert.True(IsValidSignature(r)));
    }

    [Fact]
    public async Task RunAsync_KeyAlreadyDelivered_DoesNotSendAgain()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = Args(target);
        using (JobAttempt.Enter(1))
        {
            await services.CreateJob().RunAsync(args, Ct);
        }

        using (JobAttempt.Enter(1))
        {
            await services.CreateJob().RunAsync(args, Ct);
        }

        Assert.Single(target.Requests);
        Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
    }

    [Theory]
    [InlineData("Dashboard:Webhooks:SigningSecret", "", "Dashboard:Webhooks:SigningSecret is not set")]
    [InlineData("Dashboard:Webhooks:AllowedHosts:0", "hooks.example.com", "host '127.0.0.1' is not in Dashboard:Webhooks:AllowedHosts")]
    [InlineData("Dashboard:Webhooks:MaxPayloadBytes", "10", "more than Dashboard:Webhooks:MaxPayloadBytes (10)")]
    public async Task RunAsync_RefusedByConfiguration_FailsWithoutSending(string key, string value, string reason)
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), new Dictionary<string, string?> { [key] = value }, Ct);
        var args = Args(target);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<NonRetryableJobException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(target.Requests);
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.PermanentFailure, row.Outcome);
        Assert.Contains(reason, row.Error, StringComparison.Ordinal);
    }

    private static DeliverWebhookArgs Args(HttpTestTarget target) =>
        new(NewKey(), target.Url("hooks/in?token=abc"), "order.paid", Payload);

    private static string NewKey() => "delivery-" + Guid.NewGuid().ToString("N");

    internal static bool IsValidSignature(ReceivedRequest request) =>
        IsAuthentic(
            WebhookServices.Secret,
            request.Headers["X-Dashboard-Timestamp"],
            request.Headers["X-Dashboard-Signature"],
            Encoding.UTF8.GetBytes(request.Body));

    /// <summary>The receiver's check exactly as the README shows it, so the documented example is known to work.</summary>
    private static bool IsAuthentic(string secret, string timestamp, string signature, byte[] body)
    {
        if (!long.TryParse(timestamp, out var sent) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - sent) > 300)
        {
            return false;
        }

        byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
