using Dashboard.Web.Components.Pages.Audit;

namespace Dashboard.Web.Tests.Fakes;

internal sealed class FakeAuditQueries : IAuditQueries
{
    public AuditPage Page { get; set; } = new([], null);

    public Exception? Failure { get; set; }

    public List<(AuditFilter Filter, AuditCursor? After)> Calls { get; } = [];

    public Task<AuditPage> FindAsync(AuditFilter filter, AuditCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        Calls.Add((filter, after));
        return Failure is null ? Task.FromResult(Page) : Task.FromException<AuditPage>(Failure);
    }
}
