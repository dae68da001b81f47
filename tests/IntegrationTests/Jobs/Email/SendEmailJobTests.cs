using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Email;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using MailKit.Net.Smtp;

namespace Dashboard.IntegrationTests.Jobs.Email;

public sealed class SendEmailJobTests(PostgresServerFixture postgres)
{
    private const string InDoubt = "previous attempt was interrupted while sending; not resent to avoid a duplicate";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_NewKey_DeliversOnceWithHeadersAndMessageIdFromTheKey()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        using var _ = CurrentJob.Enter("101");

        await harness.SendEmail().RunAsync(new SendEmailArgs("order-7/confirmation", "ann@example.com", "Your order", "Thanks for your order."), Ct);

        var received = Assert.Single(harness.Smtp.Messages);
        Assert.Equal("<dashboard@example.test>", received.MailFrom);
        Assert.Equal(["<ann@example.com>"], received.Recipients);
        var message = received.Parse();
        Assert.Equal("order-7/confirmation@example.test", message.MessageId);
        Assert.Contains("<order-7/confirmation@example.test>", message.Headers["Message-Id"], StringComparison.Ordinal);
        Assert.Equal("Your order", message.Subject);
        Assert.Equal(EmailHarness.From, Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("ann@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Thanks for your order.", message.TextBody?.TrimEnd());
        var row = await harness.DeliveryAsync("order-7/confirmation", Ct);
        Assert.NotNull(row);
        Assert.Equal((EmailDeliveryStatus.Sent, "101", "ann@example.com"), (row.Status, row.JobId, row.ToAddress));
        Assert.NotNull(row.SentAt);
    }

    [Fact]
    public async Task RunAsync_SameKeyTwice_SendsOnce()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        var args = new SendEmailArgs("welcome-1", "bob@example.com", "Welcome", "Hello.");

        using (CurrentJob.Enter("201"))
        {
            await harness.SendEmail().RunAsync(args, Ct);
        }

        // A second enqueue of the same key (another job), and a re-run of the first job: neither sends.
        using (CurrentJob.Enter("202"))
        {
            await harness.SendEmail().RunAsync(args, Ct);
        }

        using (CurrentJob.Enter("201"))
        {
            await harness.SendEmail().RunAsync(args, Ct);
        }

        Assert.Single(harness.Smtp.Messages);
        Assert.Equal(EmailDeliveryStatus.Sent, (await harness.DeliveryAsync("welcome-1", Ct))?.Status);
    }

    [Fact]
    public async Task RunAsync_SendingRowLeftByAnInterruptedRun_IsNotResentAndFailsWithTheReason()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        await harness.AddAsync(Sending("crash-1", jobId: "301"), Ct);
        using var _ = CurrentJob.Enter("301");

        var error = await Assert.ThrowsAsync<NonRetryableJobException>(
            () => harness.SendEmail().RunAsync(new SendEmailArgs("crash-1", "cid@example.com", "s", "b"), Ct));

        Assert.Contains(InDoubt, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Smtp.Connections);
        Assert.Equal(EmailDeliveryStatus.Sending, (await harness.DeliveryAsync("crash-1", Ct))?.Status);
    }

    [Fact]
    public async Task RunAsync_KeyClaimedByAnotherJob_IsRetryableAndNotSent()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        await harness.AddAsync(Sending("busy-1", jobId: "401"), Ct);
        using var _ = CurrentJob.Enter("402");

        var error = await Assert.ThrowsAsync<EmailClaimedException>(
            () => harness.SendEmail().RunAsync(new SendEmailArgs("busy-1", "dee@example.com", "s", "b"), Ct));

        Assert.False(RetryPolicy.IsNonRetryable(error));
        Assert.Contains("job 401", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Smtp.Connections);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_4xxAtData_RethrowsRetryableAndReleasesTheClaimSoTheRetrySends(bool atEndOfData)
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        var args = new SendEmailArgs("greylisted-1", "eve@example.com", "s", "b");
        if (atEndOfData)
        {
            harness.Smtp.EndOfDataReply = "451 4.7.1 Greylisted, try again later";
        }
        else
        {
            harness.Smtp.DataReply = "451 4.3.0 Temporary failure";
        }

        using var _ = CurrentJob.Enter("501");
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => harness.SendEmail().RunAsync(args, Ct));

        Assert.False(RetryPolicy.IsNonRetryable(error));
        Assert.Equal(451, (int)error.StatusCode);
        Assert.Null(await harness.DeliveryAsync("greylisted-1", Ct));
        Assert.Empty(harness.Smtp.Messages);

        harness.Smtp.EndOfDataReply = null;
        harness.Smtp.DataReply = null;
        await harness.SendEmail().RunAsync(args, Ct);

        Assert.Single(harness.Smtp.Messages);
        Assert.Equal(EmailDeliveryStatus.Sent, (await harness.DeliveryAsync("greylisted-1", Ct))?.Status);
    }

    [Fact]
    public async Task RunAsync_550AtRcpt_MarksFailedAndIsNotRetried()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        harness.Smtp.RcptReply = "550 5.1.1 No such user here";
        using var _ = CurrentJob.Enter("601");

        var error = await Assert.ThrowsAsync<NonRetryableJobException>(
            () => harness.SendEmail().RunAsync(new SendEmailArgs("nouser-1", "ghost@example.com", "s", "b"), Ct));

        Assert.Contains("550", error.Message, StringComparison.Ordinal);
        Assert.Contains("ghost@example.com", error.Message, StringComparison.Ordinal);
        var row = await harness.DeliveryAsync("nouser-1", Ct);
        Assert.Equal(EmailDeliveryStatus.Failed, row?.Status);
        Assert.Contains("No such user", row?.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Smtp.Messages);
    }

    [Fact]
    public async Task RunAsync_FailedRowRequeuedAfterTheCauseIsFixed_Sends()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        var args = new SendEmailArgs("fixed-1", "fay@example.com", "s", "b");
        harness.Smtp.RcptReply = "550 5.7.1 Relaying denied";
        using var _ = CurrentJob.Enter("701");
        await Assert.ThrowsAsync<NonRetryableJobException>(() => harness.SendEmail().RunAsync(args, Ct));

        harness.Smtp.RcptReply = null;
        await harness.SendEmail().RunAsync(args, Ct);

        Assert.Single(harness.Smtp.Messages);
        var row = await harness.DeliveryAsync("fixed-1", Ct);
        Assert.Equal((EmailDeliveryStatus.Sent, (string?)null), (row?.Status, row?.Error));
    }

    [Fact]
    public async Task RunAsync_ConnectionLostAfterData_StaysInDoubtAndTheRetryDoesNotResend()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        var args = new SendEmailArgs("lost-1", "gus@example.com", "s", "b");
        harness.Smtp.Drop = SmtpDrop.AfterData;
        using var _ = CurrentJob.Enter("801");

        var first = await Assert.ThrowsAsync<NonRetryableJobException>(() => harness.SendEmail().RunAsync(args, Ct));
        harness.Smtp.Drop = SmtpDrop.None;
        var retry = await Assert.ThrowsAsync<NonRetryableJobException>(() => harness.SendEmail().RunAsync(args, Ct));

        Assert.Contains("not resent to avoid a duplicate", first.Message, StringComparison.Ordinal);
        Assert.Contains(InDoubt, retry.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Smtp.Connections);
        var row = await harness.DeliveryAsync("lost-1", Ct);
        Assert.Equal(EmailDeliveryStatus.Sending, row?.Status);
        Assert.False(string.IsNullOrEmpty(row?.Error));
    }

    [Fact]
    public async Task RunAsync_ConnectionLostAtRcpt_IsRetryableAndTheRetrySends()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        var args = new SendEmailArgs("drop-1", "hal@example.com", "s", "b");
        harness.Smtp.Drop = SmtpDrop.AtRcpt;
        using var _ = CurrentJob.Enter("901");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => harness.SendEmail().RunAsync(args, Ct));

        Assert.False(RetryPolicy.IsNonRetryable(error), error.ToString());
        Assert.Null(await harness.DeliveryAsync("drop-1", Ct));

        harness.Smtp.Drop = SmtpDrop.None;
        await harness.SendEmail().RunAsync(args, Ct);
        Assert.Single(harness.Smtp.Messages);
    }

    [Fact]
    public async Task RunAsync_NothingListening_IsRetryableAndLeavesNoClaim()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        var closedPort = ClosedPort();
        using var _ = CurrentJob.Enter("1001");

        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => harness.SendEmail(closedPort).RunAsync(new SendEmailArgs("down-1", "ida@example.com", "s", "b"), Ct));

        Assert.False(RetryPolicy.IsNonRetryable(error), error.ToString());
        Assert.Null(await harness.DeliveryAsync("down-1", Ct));
    }

    [Fact]
    public async Task RunAsync_SameKeyFromFiveJobsAtOnce_SendsOnce()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        var args = new SendEmailArgs("race-1", "jo@example.com", "s", "b");

        var runs = Enumerable.Range(1, 5).Select(i => Task.Run(
            async () =>
            {
                using var _ = CurrentJob.Enter($"11{i:00}");
                try
                {
                    await harness.SendEmail().RunAsync(args, Ct);
                }
                catch (EmailClaimedException)
                {
                    // Lost the race while the winner was still sending: retried later, finds Sent.
                }
            },
            Ct));
        await Task.WhenAll(runs);

        Assert.Single(harness.Smtp.Messages);
        Assert.Equal(EmailDeliveryStatus.Sent, (await harness.DeliveryAsync("race-1", Ct))?.Status);
    }

    [Fact]
    public async Task RunAsync_RecipientWithDisplayName_IsRejectedWithoutSending()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);

        var error = await Assert.ThrowsAsync<NonRetryableJobException>(
            () => harness.SendEmail().RunAsync(new SendEmailArgs("name-1", "Kim <kim@example.com>", "s", "b"), Ct));

        Assert.Contains("bare email address", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Smtp.Connections);
    }

    internal static EmailDelivery Sending(string key, string jobId) => new()
    {
        MessageKey = key,
        ToAddress = "someone@example.com",
        Subject = "s",
        Status = EmailDeliveryStatus.Sending,
        JobId = jobId,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
