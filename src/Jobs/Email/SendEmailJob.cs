using System.ComponentModel.DataAnnotations;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Dashboard.Jobs.Email;

/// <summary>
/// Sends one plain-text email through the configured relay, at most once per message key. The row in
/// <c>email_deliveries</c> is the claim: it is written before talking to the relay, so a retry or a re-run after a
/// crash finds it and does not send again (see <see cref="EmailClaims"/> for the rules).
/// </summary>
/// <remarks>
/// Ten attempts: with the 2^n backoff capped at five minutes they span about 13 minutes (2 + 4 + ... + 256 + 300 s), long enough for
/// greylisting (a first 4xx, typically lifted after a few minutes) and a relay restart, short enough that an email
/// is not delivered hours late without an operator seeing it in Failed.
/// </remarks>
[JobQueue("default")]
[Attempts(10)]
public sealed partial class SendEmailJob(
    IDbContextFactory<DashboardDbContext> contexts,
    IOptions<SmtpOptions> options,
    ILogger<SendEmailJob> logger) : IJob<SendEmailArgs>
{
    internal const string InDoubtReason =
        "previous attempt was interrupted while sending; not resent to avoid a duplicate";

    private readonly SmtpOptions _options = options.Value;
    private readonly EmailClaims _claims = new(contexts);

    public async Task RunAsync(SendEmailArgs args, CancellationToken cancellationToken)
    {
        // Jobs enqueued from code skip the HTTP API's validation; a ValidationException is not retried.
        Validator.ValidateObject(args, new ValidationContext(args), validateAllProperties: true);
        var to = ParseRecipient(args.To);
        var jobId = CurrentJob.Id;

        var claim = await _claims.ClaimAsync(args.MessageKey, to.Address, args.Subject, jobId, cancellationToken);
        switch (claim.Outcome)
        {
            case ClaimOutcome.AlreadyDone:
                LogAlreadyDone(logger, args.MessageKey, claim.ExistingStatus);
                return;
            case ClaimOutcome.Suppressed:
                LogSuppressed(logger, args.MessageKey, to.Address);
                return;
            case ClaimOutcome.InDoubt:
                throw new NonRetryableJobException($"Email '{args.MessageKey}': {InDoubtReason}.");
            case ClaimOutcome.HeldByAnotherJob:
                throw new EmailClaimedException(
                    $"Email '{args.MessageKey}' is claimed by job {claim.OwnerJobId ?? "(unknown)"}, which is sending it or was interrupted " +
                    "while sending; this job checks again on its next attempt and does not send it twice.");
        }

        await SendClaimedAsync(args, to, claim.RowId, cancellationToken);
    }

    private async Task SendClaimedAsync(SendEmailArgs args, MailboxAddress to, long rowId, CancellationToken cancellationToken)
    {
        var message = BuildMessage(args, to);
        using var client = new EnvelopeTrackingSmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, SocketOptions(_options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            // A definitive 5xx reply: the relay did not take the message and will not on a retry.
            var reason = $"SMTP server refused email '{args.MessageKey}' to {to.Address}: {(int)ex.StatusCode} {ex.Message}";
            await _claims.MarkFailedAsync(rowId, reason);
            LogRefused(logger, args.MessageKey, (int)ex.StatusCode, ex.Message);
            throw new NonRetryableJobException(reason, ex);
        }
        catch (SmtpCommandException ex)
        {
            // A 4xx reply is definitive too (not accepted), but temporary: free the key so the retry sends.
            await _claims.ReleaseAsync(rowId);
            LogDeferred(logger, args.MessageKey, (int)ex.StatusCode, ex.Message);
            throw;
        }
        catch (AuthenticationException ex)
        {
            var reason = $"SMTP server rejected the credentials of Dashboard:Smtp:UserName for email '{args.MessageKey}': {ex.Message}";
            await _claims.MarkFailedAsync(rowId, reason);
            throw new NonRetryableJobException(reason, ex);
        }
        catch (Exception ex) when (!client.EnvelopeAccepted)
        {
            // Connection, TLS or protocol failures before any recipient was accepted: no message can have been taken.
            await _claims.ReleaseAsync(rowId);
            LogNotSent(logger, args.MessageKey, ex.GetType().Name, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            // Lost after the envelope was accepted: the relay may have taken the message before the connection died.
            // Resending could deliver it twice, so the claim stays in Sending and an operator decides.
            await _claims.RecordDoubtAsync(rowId, $"{ex.GetType().Name}: {ex.Message}");
            throw new NonRetryableJobException(
                $"Email '{args.MessageKey}': the connection was lost after the message was handed over ({ex.Message}); not resent to avoid a duplicate.",
                ex);
        }

        // The relay accepted it: record that first, so nothing that follows can make a retry send it again.
        await _claims.MarkSentAsync(rowId);
        LogSent(logger, args.MessageKey, to.Address);
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogQuitFailed(logger, args.MessageKey, ex.Message);
        }
    }

    private MimeMessage BuildMessage(SendEmailArgs args, MailboxAddress to)
    {
        var from = MailboxAddress.Parse(_options.From);
        var message = new MimeMessage
        {
            Subject = args.Subject,
            MessageId = MessageIds.For(args.MessageKey, from.Domain),
            Date = DateTimeOffset.UtcNow,
            Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = args.Body },
        };
        message.From.Add(from);
        message.To.Add(to);
        return message;
    }

    private static MailboxAddress ParseRecipient(string to)
    {
        // [EmailAddress] only checks for one '@'; the recipient must also be a bare address MimeKit can send to.
        if (!MailboxAddress.TryParse(to, out var mailbox) || !string.IsNullOrEmpty(mailbox.Name) || mailbox.Address != to.Trim())
        {
            throw new NonRetryableJobException($"To '{to}' is not a single bare email address.");
        }

        return mailbox;
    }

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {MessageKey} sent to {To}")]
    private static partial void LogSent(ILogger logger, string messageKey, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {MessageKey} not sent again: it is already {Status}")]
    private static partial void LogAlreadyDone(ILogger logger, string messageKey, EmailDeliveryStatus? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {MessageKey} not sent: {To} is suppressed after a hard bounce")]
    private static partial void LogSuppressed(ILogger logger, string messageKey, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {MessageKey} refused by the SMTP server for good: {StatusCode} {Reply}")]
    private static partial void LogRefused(ILogger logger, string messageKey, int statusCode, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {MessageKey} deferred by the SMTP server: {StatusCode} {Reply}; it will be retried")]
    private static partial void LogDeferred(ILogger logger, string messageKey, int statusCode, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {MessageKey} not sent ({ErrorType}: {Error}); it will be retried")]
    private static partial void LogNotSent(ILogger logger, string messageKey, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email {MessageKey} was sent but QUIT failed: {Error}")]
    private static partial void LogQuitFailed(ILogger logger, string messageKey, string error);

    /// <summary>Tells whether the relay accepted a recipient: from then on a lost connection leaves the outcome unknown.</summary>
    private sealed class EnvelopeTrackingSmtpClient : SmtpClient
    {
        public bool EnvelopeAccepted { get; private set; }

        protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            EnvelopeAccepted = true;
            base.OnRecipientAccepted(message, mailbox, response);
        }
    }
}

/// <summary>Another job holds the claim on the message key; retryable, because that job may yet finish.</summary>
public sealed class EmailClaimedException(string message) : Exception(message);
