using Dashboard.Data.Entities;

namespace Dashboard.Web.Components.Pages.Audit;

/// <summary>
/// What the Audit page filters by; every field is optional. <see cref="To"/> is exclusive, <see cref="Text"/> is a
/// case-insensitive substring of the target or the details.
/// </summary>
public sealed record AuditFilter(
    string? User = null,
    string? Action = null,
    AuditOutcome? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Text = null);

/// <summary>Where a page ends: the next (older) page starts strictly after this entry in (at, id) descending order.</summary>
public sealed record AuditCursor(DateTimeOffset At, long Id);

public sealed record AuditRow(
    long Id, DateTimeOffset At, string UserName, string Action, string? Target, AuditOutcome Outcome, string? Details, string? RemoteIp);

/// <summary>One page, newest first; <see cref="Next"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, AuditCursor? Next);

public interface IAuditQueries
{
    Task<AuditPage> FindAsync(AuditFilter filter, AuditCursor? after, int pageSize, CancellationToken cancellationToken = default);
}
