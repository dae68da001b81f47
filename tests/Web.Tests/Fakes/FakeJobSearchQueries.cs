using Dashboard.Web.Components.Pages.Jobs.Search;

namespace Dashboard.Web.Tests.Fakes;

internal sealed class FakeJobSearchQueries : IJobSearchQueries
{
    public JobPage Page { get; set; } = new([], null, null);

    public CappedCount Count { get; set; } = new(0, false);

    public IReadOnlyList<ErrorGroup> Groups { get; set; } = [];

    public Dictionary<string, CappedCount> StateCounts { get; } = [];

    public Exception? Failure { get; set; }

    public List<(JobFilter Filter, JobPageRequest Page)> Finds { get; } = [];

    public List<JobFilter> GroupCalls { get; } = [];

    public Task<JobPage> FindAsync(JobFilter filter, JobPageRequest page, CancellationToken cancellationToken = default)
    {
        Finds.Add((filter, page));
        return Failure is null ? Task.FromResult(Page) : Task.FromException<JobPage>(Failure);
    }

    public Task<CappedCount> CountAsync(JobFilter filter, CancellationToken cancellationToken = default) => Task.FromResult(Count);

    public Task<IReadOnlyDictionary<string, CappedCount>> CountByStateAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, CappedCount>>(StateCounts);

    public Task<IReadOnlyList<ErrorGroup>> GroupFailuresAsync(JobFilter filter, int maxGroups, CancellationToken cancellationToken = default)
    {
        GroupCalls.Add(filter);
        return Task.FromResult(Groups);
    }

    public Task<MatchSnapshot> SnapshotAsync(JobFilter filter, CancellationToken cancellationToken = default) =>
        Task.FromResult(new MatchSnapshot(Count.Value, Page.Rows.Count > 0 ? Page.Rows[0].Id : null));

    public Task<IReadOnlyList<long>> FindIdsAsync(JobFilter filter, long before, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<long>>([.. Page.Rows.Select(r => r.Id).Where(id => id < before).Take(limit)]);

    public static JobRow Row(long id, string state = "Failed", string type = "SendEmailJob", string queue = "default") => new(
        id, type, "RunAsync", queue, state, state == "Failed" ? "An exception occurred" : null, Snapshots.Now.AddMinutes(-id), Snapshots.Now.AddMinutes(-id - 1),
        state == "Failed" ? "System.TimeoutException" : null, state == "Failed" ? $"Timed out after {id} ms" : null);
}
