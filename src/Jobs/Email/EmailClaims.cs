using Dashboard.Data;
using Dashboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs.Email;

internal enum ClaimOutcome
{
    /// <summary>This job owns the row in Sending and must send now.</summary>
    Claimed,
    AlreadyDone,
    Suppressed,
    InDoubt,
    HeldByAnotherJob,
}

internal sealed record Claim(ClaimOutcome Outcome, long RowId = 0, EmailDeliveryStatus? ExistingStatus = null, string? OwnerJobId = null);

/// <summary>
/// The <c>email_deliveries</c> row of a message key as a claim. The rules, in order:
/// <list type="bullet">
/// <item>Sent, Suppressed or Bounced: done, never send again.</item>
/// <item>Sending with this job's id: an earlier run of this very job (a retry, or the re-fetch after its process
/// was killed) claimed it and never recorded an outcome. Whether the relay accepted the message is unknown, so it is
/// in doubt and not resent. A run never meets its own claim otherwise: each run claims once, and every outcome it
/// observes replaces or deletes the row.</item>
/// <item>Sending with another (or no) job id: a different job with the same key is sending it or died doing so.
/// Retryable: if that job finishes, the next attempt finds Sent; if it died, the attempts run out and the job lands
/// in Failed with the reason, for an operator.</item>
/// <item>Failed, or no row: free. A Failed row is taken over so an operator's requeue after fixing the cause sends.</item>
/// </list>
/// The unique index on <c>message_key</c> settles two jobs claiming at the same moment: the loser re-reads.
/// </summary>
internal sealed class EmailClaims(IDbContextFactory<DashboardDbContext> contexts)
{
    /// <summary>Each round sees the row change under it; a few rounds settle any real race.</summary>
    private const int MaxRounds = 5;

    public async Task<Claim> ClaimAsync(string messageKey, string toAddress, string subject, string? jobId, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var row = await db.EmailDeliveries.AsNoTracking().SingleOrDefaultAsync(e => e.MessageKey == messageKey, cancellationToken);
            switch (row?.Status)
            {
                case EmailDeliveryStatus.Sent or EmailDeliveryStatus.Suppressed or EmailDeliveryStatus.Bounced:
                    return new Claim(ClaimOutcome.AlreadyDone, row.Id, row.Status);
                case EmailDeliveryStatus.Sending when row.JobId is not null && row.JobId == jobId:
                    return new Claim(ClaimOutcome.InDoubt, row.Id, row.Status, row.JobId);
                case EmailDeliveryStatus.Sending:
                    return new Claim(ClaimOutcome.HeldByAnotherJob, row.Id, row.Status, row.JobId);
            }

            var lowered = toAddress.ToLowerInvariant();
            var suppressed = await db.SuppressedAddresses.AnyAsync(s => s.Address == lowered, cancellationToken);
            var status = suppressed ? EmailDeliveryStatus.Suppressed : EmailDeliveryStatus.Sending;
            long? id = row is null
                ? await TryInsertAsync(db, messageKey, toAddress, subject, jobId, status, cancellationToken)
                : await TryTakeOverFailedAsync(db, row.Id, toAddress, subject, jobId, status, cancellationToken);
            if (id is { } claimed)
            {
                return new Claim(suppressed ? ClaimOutcome.Suppressed : ClaimOutcome.Claimed, claimed);
            }

            if (round == MaxRounds)
            {
                throw new InvalidOperationException($"Email '{messageKey}': its delivery row kept changing during {MaxRounds} claim attempts.");
            }
        }
    }

    /// <summary>After a definitive refusal: the row records why, and a later requeue may take it over.</summary>
    public Task MarkFailedAsync(long rowId, string error) => UpdateSendingAsync(rowId, EmailDeliveryStatus.Failed, error);

    /// <summary>The outcome is unknown: the row stays in Sending (the in-doubt state) with the error for the operator.</summary>
    public Task RecordDoubtAsync(long rowId, string error) => UpdateSendingAsync(rowId, EmailDeliveryStatus.Sending, error);

    public async Task MarkSentAsync(long rowId)
    {
        // Not cancellable: after the relay accepted the message, a shutdown must not leave the row in doubt.
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.EmailDeliveries
            .Where(e => e.Id == rowId && e.Status == EmailDeliveryStatus.Sending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.Status, EmailDeliveryStatus.Sent).SetProperty(e => e.SentAt, DateTimeOffset.UtcNow).SetProperty(e => e.Error, (string?)null),
                CancellationToken.None);
    }

    /// <summary>The relay certainly did not take the message: delete the claim so the retry can make its own.</summary>
    public async Task ReleaseAsync(long rowId)
    {
        // Not cancellable: a shutdown is a common reason to get here, and the claim must not outlive it.
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.EmailDeliveries
            .Where(e => e.Id == rowId && e.Status == EmailDeliveryStatus.Sending)
            .ExecuteDeleteAsync(CancellationToken.None);
    }

    private async Task UpdateSendingAsync(long rowId, EmailDeliveryStatus status, string error)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.EmailDeliveries
            .Where(e => e.Id == rowId && e.Status == EmailDeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, status).SetProperty(e => e.Error, Truncate(error)), CancellationToken.None);
    }

    private static async Task<long?> TryInsertAsync(
        DashboardDbContext db, string messageKey, string toAddress, string subject, string? jobId, EmailDeliveryStatus status, CancellationToken cancellationToken)
    {
        // ON CONFLICT instead of catching the unique violation: losing a race is normal here, not an error to log.
        // No row back means another job claimed the key between our read and this insert; the next round reads it.
        var ids = await db.Database.SqlQuery<long>($"""
            INSERT INTO dashboard.email_deliveries (message_key, to_address, subject, status, job_id, created_at)
            VALUES ({messageKey}, {toAddress}, {subject}, {status.ToString()}, {jobId}, {DateTimeOffset.UtcNow})
            ON CONFLICT (message_key) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return ids.Count == 1 ? ids[0] : null;
    }

    private static async Task<long?> TryTakeOverFailedAsync(
        DashboardDbContext db, long rowId, string toAddress, string subject, string? jobId, EmailDeliveryStatus status, CancellationToken cancellationToken)
    {
        var updated = await db.EmailDeliveries
            .Where(e => e.Id == rowId && e.Status == EmailDeliveryStatus.Failed)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.Status, status)
                    .SetProperty(e => e.JobId, jobId)
                    .SetProperty(e => e.ToAddress, toAddress)
                    .SetProperty(e => e.Subject, subject)
                    .SetProperty(e => e.Error, (string?)null),
                cancellationToken);
        return updated == 1 ? rowId : null;
    }

    /// <summary>The error column is text, but a relay's multi-line reply is no use to anyone past a few lines.</summary>
    private static string Truncate(string error) => error.Length <= 2000 ? error : error[..2000];
}
