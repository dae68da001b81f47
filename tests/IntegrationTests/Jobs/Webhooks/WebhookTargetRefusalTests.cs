using System.Net;
using System.Net.Sockets;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using Dashboard.Jobs.Webhooks;

namespace Dashboard.IntegrationTests.Jobs.Webhooks;

/// <summary>
/// Targets on loopback, private, link-local and other non-public addresses, against a real TCP listener on
/// 127.0.0.1 and real PostgreSQL: refused when connecting (after DNS) unless Dashboard:Webhooks:AllowPrivateNetworks
/// opts in, not retried, nothing sent; and what a failure shows every viewer versus what the delivery log keeps.
/// </summary>
public sealed class WebhookTargetRefusalTests(PostgresServerFixture postgres)
{
    private const string Payload = "{\"order\":42}";
    private const string Hint = "; allow it with Dashboard:Webhooks:AllowPrivateNetworks";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1", "webhook target 127.0.0.1 refused: loopback address (127.0.0.0/8)" + Hint)]
    [InlineData("[::1]", "webhook target [::1] refused: loopback address (::1/128)" + Hint)]
    [InlineData("[::ffff:127.0.0.1]", "webhook target [::ffff:127.0.0.1] refused: loopback address (127.0.0.0/8)" + Hint)]
    [InlineData("169.254.169.254", "webhook target 169.254.169.254 refused: link-local address (169.254.0.0/16)" + Hint)]
    [InlineData("10.0.0.1", "webhook target 10.0.0.1 refused: private address (10.0.0.0/8)" + Hint)]
    [InlineData("localhost", "webhook target localhost refused: it resolves to ")]
    // Linux connects 0.0.0.0 to the local host; a decimal IPv4 literal is 127.0.0.1 written another way.
    [InlineData("0.0.0.0", "webhook target 0.0.0.0 refused: \"this network\" address (0.0.0.0/8)" + Hint)]
    [InlineData("2130706433", "webhook target 127.0.0.1 refused: loopback address (127.0.0.0/8)" + Hint)]
    public async Task RunAsync_NonPublicTargetWithoutOptIn_FailsAtOnceNotRetriedAndNothingReachesTheListener(string host, string reason)
    {
        using var listener = Listen(out var port);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct, allowLoopback: false);
        var args = new DeliverWebhookArgs(NewKey(), $"http://{host}:{port}/hooks/in", "order.paid", Payload);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<NonRetryableJobException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
        Assert.EndsWith(Hint, error.Message, StringComparison.Ordinal);
        Assert.True(RetryPolicy.IsNonRetryable(error));
        Assert.Null(error.InnerException);
        // Not even a TCP connection was opened to the listener.
        Assert.False(listener.Pending(), "the listener on 127.0.0.1 was connected to");
        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(WebhookOutcome.PermanentFailure, row.Outcome);
        Assert.Null(row.StatusCode);
        Assert.Equal(error.Message, row.Error);
    }

    [Fact]
    public async Task RunAsync_LocalhostWithoutOptIn_NamesTheResolvedAddressAndRule()
    {
        using var listener = Listen(out var port);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct, allowLoopback: false);
        var args = new DeliverWebhookArgs(NewKey(), $"http://localhost:{port}/hooks/in", "order.paid", Payload);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<NonRetryableJobException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.Matches(
            @"^webhook target localhost refused: it resolves to (127\.0\.0\.1, loopback address \(127\.0\.0\.0/8\)|::1, loopback address \(::1/128\)); allow it",
            error.Message);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task RunAsync_OptInForAnotherNetwork_StillRefusesLoopback()
    {
        using var listener = Listen(out var port);
        await using var services = await WebhookServices.CreateAsync(
            postgres.CreateDatabase(),
            new Dictionary<string, string?> { ["Dashboard:Webhooks:AllowPrivateNetworks:0"] = "10.1.2.0/24" },
            Ct,
            allowLoopback: false);
        var args = new DeliverWebhookArgs(NewKey(), $"http://127.0.0.1:{port}/hooks/in", "order.paid", Payload);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAsync<NonRetryableJobException>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.StartsWith("webhook target 127.0.0.1 refused: loopback address (127.0.0.0/8)", error.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task RunAsync_LoopbackOptedIn_Delivers(string host)
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = new DeliverWebhookArgs(NewKey(), $"http://{host}:{target.BaseAddress.Port}/hooks/in", "order.paid", Payload);

        using (JobAttempt.Enter(1))
        {
            await services.CreateJob().RunAsync(args, Ct);
        }

        Assert.Equal(Payload, Assert.Single(target.Requests).Body);
        Assert.Equal(WebhookOutcome.Delivered, Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct)).Outcome);
    }

    [Fact]
    public async Task RunAsync_OnlyIPv4LoopbackOptedIn_LocalhostConnectsToTheVettedAddressOnly()
    {
        // localhost resolves to ::1 and 127.0.0.1; ::1 is refused, so the connection goes to 127.0.0.1, where the
        // target listens.
        await using var target = await HttpTestTarget.StartAsync(Ct);
        await using var services = await WebhookServices.CreateAsync(
            postgres.CreateDatabase(),
            new Dictionary<string, string?> { ["Dashboard:Webhooks:AllowPrivateNetworks:0"] = "127.0.0.0/8" },
            Ct,
            allowLoopback: false);
        var args = new DeliverWebhookArgs(NewKey(), $"http://localhost:{target.BaseAddress.Port}/hooks/in", "order.paid", Payload);

        using (JobAttempt.Enter(1))
        {
            await services.CreateJob().RunAsync(args, Ct);
        }

        Assert.Single(target.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(403)]
    public async Task RunAsync_TargetAnswersWithSecretLookingBody_ReasonHasStatusAndHostTheLogHasTheBody(int status)
    {
        const string Body = "upstream error: postgres://billing:S3cr3t-Passw0rd@10.20.30.40:5432/billing refused";
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(status, Body);
        await using var services = await WebhookServices.CreateAsync(postgres.CreateDatabase(), null, Ct);
        var args = new DeliverWebhookArgs(NewKey(), target.Url("hooks/in?token=url-token-123"), "order.paid", Payload);

        using var _ = JobAttempt.Enter(1);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => services.CreateJob().RunAsync(args, Ct));

        Assert.IsType(status == 500 ? typeof(WebhookDeliveryException) : typeof(NonRetryableJobException), error);
        Assert.StartsWith($"webhook target 127.0.0.1 answered {status} ", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        foreach (var secret in new[] { "S3cr3t-Passw0rd", "10.20.30.40", "upstream error", "url-token-123" })
        {
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }

        var row = Assert.Single(await services.AttemptsAsync(args.DeliveryKey, Ct));
        Assert.Equal(status, row.StatusCode);
        Assert.Contains(Body, row.Error, StringComparison.Ordinal);
    }

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private static string NewKey() => "delivery-" + Guid.NewGuid().ToString("N");
}
