using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using Dashboard.Jobs.Tests.Webhooks;
using Dashboard.Jobs.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

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
        Assert.Equal(args.DeliveryKey, request.Headers["webhook-id"]);
        var timestamp = long.Parse(request.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(IsValidSignature(request), $"signature {request.Headers["webhook-signature"]} does not verify");
        // Signed with both active secrets, one entry each.
        Assert.Equal(2, request.Headers["webhook-signature"].Split(' ').Length);
        Assert.DoesNotContain("X-Dashboard-Signature", request.Headers.Keys);

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
        Assert.StartsWith($"webhook target 127.0.0.1 answered {status}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream database", error.Message, StringComparison.Ordinal);
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
        Assert.StartsWith("webhook target 127.0.0.1 answered 404 Not Found; not retried.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no such hook", error.Message, StringComparison.Ordinal);
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.PermanentFailure, row.Outcome);
        Assert.Equal(404, row.StatusCode);
        Assert.Contains("no such hook", row.Error, StringComparison.Ordinal);
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
        Assert.Equal("webhook target 127.0.0.1 timed out after 1 s", error.Message);
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
        var port = ClosedPort();
        var args = new DeliverWebhookArgs(NewKey(), $"http://127.0.0.1:{port}/hook", "order.paid", Payload);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.StartsWith("webhook target 127.0.0.1: request failed (ConnectionError)", error.Message, StringComparison.Ordinal);
        // Socket details (address and port, the OS's words) stay in the delivery log; nothing chained for /failed to show.
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.RetryableFailure, row.Outcome);
        Assert.Null(row.StatusCode);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Error, StringComparison.Ordinal);
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
        Assert.All(target.Requests, r => Assert.Equal(args.DeliveryKey, r.Headers["webhook-id"]));
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
    [InlineData("Dashboard:Webhooks:SigningSecret=;Dashboard:Webhooks:Secrets:0=", "Dashboard:Webhooks:SigningSecret is not set")]
    [InlineData("Dashboard:Webhooks:AllowedHosts:0=hooks.example.com", "host '127.0.0.1' is not in Dashboard:Webhooks:AllowedHosts")]
    [InlineData("Dashboard:Webhooks:MaxPayloadBytes=10", "more than Dashboard:Webhooks:MaxPayloadBytes (10)")]
    public async Task RunAsync_RefusedByConfiguration_FailsWithoutSending(string settings, string reason)
    {
        var overrides = settings.Split(';').Select(s => s.Split('=')).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        await using var target = await HttpTestTarget.StartAsync(Ct);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), overrides, Ct);
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

    /// <summary>
    /// What a receiver holding either of the two active secrets accepts: the README's verifier with each secret, and
    /// the StandardWebhooks package's verifier with the first (it compares only the first entry of the header).
    /// </summary>
    internal static bool IsValidSignature(ReceivedRequest request)
    {
        var id = request.Headers["webhook-id"];
        var timestamp = request.Headers["webhook-timestamp"];
        var signatures = request.Headers["webhook-signature"];
        var body = Encoding.UTF8.GetBytes(request.Body);
        if (!WebhookReceiverExample.IsAuthentic(WebhookServices.Secret, id, timestamp, signatures, body)
            || !WebhookReceiverExample.IsAuthentic(WebhookServices.SecondSecret, id, timestamp, signatures, body)
            || WebhookReceiverExample.IsAuthentic("another-secret-0123456789abcdef012345", id, timestamp, signatures, body))
        {
            return false;
        }

        var headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => new StringValues(h.Value), StringComparer.OrdinalIgnoreCase));
        try
        {
            new StandardWebhook(Encoding.UTF8.GetBytes(WebhookServices.Secret)).Verify(request.Body, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
