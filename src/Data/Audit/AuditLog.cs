using Dashboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Data.Audit;

/// <summary>What to record about one action; see <see cref="AuditEntry"/>.</summary>
public sealed record AuditRecord(
    string UserName,
    string? UserId,
    string Action,
    string? Target,
    AuditOutcome Outcome,
    string? Details = null,
    string? RemoteIp = null);

/// <summary>Appends to the audit trail. Every operator and admin action goes through it, allowed or not.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default);
}

internal sealed class AuditLog(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time) : IAuditLog
{
    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        context.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            UserName = record.UserName,
            UserId = record.UserId,
            Action = record.Action,
            Target = record.Target,
            Outcome = record.Outcome,
            Details = record.Details,
            RemoteIp = record.RemoteIp,
        });
        await context.SaveChangesAsync(cancellationToken);
    }
}
