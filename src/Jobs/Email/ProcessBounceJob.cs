using System.ComponentModel.DataAnnotations;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dashboard.Jobs.Email;

/// <summary>Arguments of <see cref="ProcessBounceJob"/>.</summary>
/// <param name="MessageKey">
/// The key of the bounced email. Bounces are matched by key, not by address: the key is in every bounce report as the
/// original Message-Id we set, while an address alone cannot say which of its emails bounced.
/// </param>
/// <param name="Reason">The relay's diagnostic, as reported (for the operator and the suppression list).</param>
public sealed record ProcessBounceArgs(
    [property: Required(ErrorMessage = "MessageKey is required.")]
    [property: StringLength(SendEmailArgs.MaxKeyLength, ErrorMessage = "MessageKey must be at most 200 characters.")]
    string MessageKey,
    [property: EnumDataType(typeof(BounceType), ErrorMessage = "Type must be Soft or Hard.")]
    BounceType Type,
    [property: StringLength(2000, ErrorMessage = "Reason must be at most 2000 characters.")]
    string? Reason = null);

/// <summary>
/// Records a bounce on its delivery and, for a hard bounce, suppresses the address so later emails to it are not
/// sent. Running it again for the same bounce changes nothing.
/// </summary>
/// <remarks>
/// Queue "default", not "low": while a suppression waits behind a backlog, emails keep going to an address that no
/// longer exists, which is what damages a sender's reputation. Five attempts: it only writes to our own database.
/// </remarks>
[JobQueue("default")]
[Attempts(5)]
public sealed partial class ProcessBounceJob(
    IDbContextFactory<DashboardDbContext> contexts,
    ILogger<ProcessBounceJob> logger) : IJob<ProcessBounceArgs>
{
    public async Task RunAsync(ProcessBounceArgs args, CancellationToken cancellationToken)
    {
        Validator.ValidateObject(args, new ValidationContext(args), validateAllProperties: true);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var delivery = await db.EmailDeliveries.SingleOrDefaultAsync(e => e.MessageKey == args.MessageKey, cancellationToken)
            ?? throw new NonRetryableJobException(
                $"Bounce for unknown email '{args.MessageKey}': no delivery has that message key, so there is nothing to mark and no address to suppress.");

        var now = DateTimeOffset.UtcNow;
        delivery.Status = EmailDeliveryStatus.Bounced;
        // A hard bounce is final: a later soft report for the same email must not make it look recoverable.
        delivery.BounceType = delivery.BounceType == BounceType.Hard ? BounceType.Hard : args.Type;
        delivery.BounceReason = args.Reason ?? delivery.BounceReason;
        delivery.BouncedAt ??= now;
        await db.SaveChangesAsync(cancellationToken);

        if (args.Type == BounceType.Hard)
        {
            var address = delivery.ToAddress.ToLowerInvariant();
            var reason = args.Reason ?? "hard bounce";
            // ON CONFLICT keeps the first suppression and its reason, and makes a concurrent or repeated run harmless.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO dashboard.suppressed_addresses (address, reason, message_key, created_at) VALUES ({address}, {reason}, {args.MessageKey}, {now}) ON CONFLICT (address) DO NOTHING",
                cancellationToken);
            LogSuppressed(logger, address, args.MessageKey);
        }

        await transaction.CommitAsync(cancellationToken);
        LogBounced(logger, args.MessageKey, args.Type);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {MessageKey} bounced ({BounceType})")]
    private static partial void LogBounced(ILogger logger, string messageKey, BounceType bounceType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Address {Address} suppressed after a hard bounce of email {MessageKey}")]
    private static partial void LogSuppressed(ILogger logger, string address, string messageKey);
}
