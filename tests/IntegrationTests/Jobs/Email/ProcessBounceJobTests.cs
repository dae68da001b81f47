using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Email;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.IntegrationTests.Jobs.Email;

public sealed class ProcessBounceJobTests(PostgresServerFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_HardBounce_SuppressesTheAddressAndALaterSendIsNotSent()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        using var _ = CurrentJob.Enter("2001");
        await harness.SendEmail().RunAsync(new SendEmailArgs("first-1", "Ann.Lee@Example.com", "s", "b"), Ct);

        await harness.ProcessBounce().RunAsync(new ProcessBounceArgs("first-1", BounceType.Hard, "550 5.1.1 user unknown"), Ct);
        await harness.SendEmail().RunAsync(new SendEmailArgs("second-1", "ann.lee@example.com", "s", "b"), Ct);

        var bounced = await harness.DeliveryAsync("first-1", Ct);
        Assert.Equal((EmailDeliveryStatus.Bounced, BounceType.Hard, "550 5.1.1 user unknown"), (bounced?.Status, bounced?.BounceType, bounced?.BounceReason));
        Assert.NotNull(bounced?.BouncedAt);
        var suppression = Assert.Single(await SuppressionsAsync(harness));
        Assert.Equal(("ann.lee@example.com", "first-1"), (suppression.Address, suppression.MessageKey));
        Assert.Equal(EmailDeliveryStatus.Suppressed, (await harness.DeliveryAsync("second-1", Ct))?.Status);
        Assert.Single(harness.Smtp.Messages);
        Assert.Equal(1, harness.Smtp.Connections);
    }

    [Fact]
    public async Task RunAsync_SameHardBounceTwice_ChangesNothingMore()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        await harness.AddAsync(Sent("twice-1", "bea@example.com"), Ct);
        var args = new ProcessBounceArgs("twice-1", BounceType.Hard, "mailbox gone");

        await harness.ProcessBounce().RunAsync(args, Ct);
        var first = await harness.DeliveryAsync("twice-1", Ct);
        await harness.ProcessBounce().RunAsync(args, Ct);
        // A late soft report must not make a hard-bounced email look recoverable.
        await harness.ProcessBounce().RunAsync(args with { Type = BounceType.Soft }, Ct);

        var again = await harness.DeliveryAsync("twice-1", Ct);
        Assert.Equal(first?.BouncedAt, again?.BouncedAt);
        Assert.Equal(BounceType.Hard, again?.BounceType);
        Assert.Single(await SuppressionsAsync(harness));
    }

    [Fact]
    public async Task RunAsync_SoftBounce_MarksBouncedWithoutSuppressing()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);
        await harness.AddAsync(Sent("soft-1", "cy@example.com"), Ct);

        await harness.ProcessBounce().RunAsync(new ProcessBounceArgs("soft-1", BounceType.Soft, "mailbox full"), Ct);

        var row = await harness.DeliveryAsync("soft-1", Ct);
        Assert.Equal((EmailDeliveryStatus.Bounced, BounceType.Soft), (row?.Status, row?.BounceType));
        Assert.Empty(await SuppressionsAsync(harness));
    }

    [Fact]
    public async Task RunAsync_UnknownKey_FailsWithAReadableReason()
    {
        await using var harness = await EmailHarness.StartAsync(postgres, Ct);

        var error = await Assert.ThrowsAsync<NonRetryableJobException>(
            () => harness.ProcessBounce().RunAsync(new ProcessBounceArgs("never-sent", BounceType.Hard), Ct));

        Assert.Contains("unknown email 'never-sent'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await SuppressionsAsync(harness));
    }

    private static EmailDelivery Sent(string key, string to) => new()
    {
        MessageKey = key,
        ToAddress = to,
        Subject = "s",
        Status = EmailDeliveryStatus.Sent,
        JobId = "1",
        CreatedAt = DateTimeOffset.UtcNow,
        SentAt = DateTimeOffset.UtcNow,
    };

    private static async Task<List<SuppressedAddress>> SuppressionsAsync(EmailHarness harness)
    {
        await using var db = await harness.Contexts.CreateDbContextAsync(Ct);
        return await db.SuppressedAddresses.AsNoTracking().ToListAsync(Ct);
    }
}
