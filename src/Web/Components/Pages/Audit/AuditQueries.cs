using Dashboard.Data;
using Dashboard.Data.Database;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Components.Pages.Audit;

/// <summary>
/// Reads the audit trail with keyset paging: each page continues after the last (at, id) it showed, so page 500 costs
/// what page 1 costs, and PostgreSQL walks the (at), (user_name, at) or (action, at) index backwards from the cursor
/// instead of sorting the table. The free-text filter has no index; it is applied while walking one of those, and the
/// page stops as soon as it is full.
/// </summary>
internal sealed class AuditQueries(IDbContextFactory<DashboardDbContext> contexts, PostgresEndpoint endpoint) : IAuditQueries
{
    public const int MaxPageSize = 200;

    public async Task<AuditPage> FindAsync(AuditFilter filter, AuditCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        // A dashboard read: the reads' sessions, with their statement timeout (the context has not connected yet).
        context.Database.SetConnectionString(endpoint.ReadConnectionString);
        var query = context.AuditEntries.AsNoTracking();

        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var user = filter.User.Trim();
            query = query.Where(e => e.UserName == user);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(e => e.Action == action);
        }

        if (filter.Outcome is { } outcome)
        {
            query = query.Where(e => e.Outcome == outcome);
        }

        if (filter.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(e => e.At >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            query = query.Where(e => e.At < toUtc);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var pattern = "%" + EscapeLike(filter.Text.Trim()) + "%";
            query = query.Where(e => EF.Functions.ILike(e.Target ?? "", pattern, @"\") || EF.Functions.ILike(e.Details ?? "", pattern, @"\"));
        }

        if (after is not null)
        {
            var at = after.At.ToUniversalTime();
            var id = after.Id;
            query = query.Where(e => e.At < at || (e.At == at && e.Id < id));
        }

        // One row more than the page tells whether an older page exists without counting the whole match.
        var rows = await query
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(pageSize + 1)
            .Select(e => new AuditRow(e.Id, e.At, e.UserName, e.Action, e.Target, e.Outcome, e.Details, e.RemoteIp))
            .ToListAsync(cancellationToken);

        var more = rows.Count > pageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new AuditPage(rows, more ? new AuditCursor(rows[^1].At, rows[^1].Id) : null);
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
