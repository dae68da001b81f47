using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Data.Hangfire;
using Dashboard.Jobs.Hosting;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Data.Hangfire;

/// <summary>
/// Error signatures stored once per failure (FailureSignatures' trigger), with a job that really fails on a real
/// Hangfire server: the stored signature is the one the filtered grouping computes, only the job's current failure
/// counts, and a job that leaves Failed leaves the groups.
/// </summary>
public sealed class FailureSignatureTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task RealFailure_StoredOncePerFailedState_GroupedByItsCurrentFailureOnly()
    {
        var connectionString = postgres.CreateDatabase();
        await using var app = new DashboardFactory(connectionString, new Dictionary<string, string?> { ["Dashboard:Retry:MaxDelay"] = "00:00:01" });
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();
        var queries = new JobSearchQueries(app.Services.GetRequiredService<HangfireDatabase>());
        var ct = TestContext.Current.CancellationToken;

        var id = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(0, 99, 0), CancellationToken.None));
        await JobStates.WaitForStateAsync(storage, id, FailedState.StateName, TimeSpan.FromSeconds(45));

        // Three attempts, three Failed states stored; the job's current one is the only one grouped.
        Assert.Equal(3L, await Sql.ScalarAsync<long>(connectionString,
            $"SELECT count(*) FROM {FailureSignatures.Table("hangfire")} f JOIN hangfire.state s ON s.id = f.stateid WHERE s.jobid = {id}"));
        var group = Assert.Single(await queries.GroupFailuresAsync(new JobFilter(), 20, ct));
        Assert.Equal(1, group.Count);
        Assert.Equal(typeof(DiagnosticsFailureException).FullName, group.ExceptionType);
        Assert.Equal(["DiagnosticsJob"], group.JobTypes);
        // Computed over the rows (the filtered path) it is the same signature.
        var computed = Assert.Single(await queries.GroupFailuresAsync(new JobFilter(JobType: "Diagnostics"), 20, ct));
        Assert.Equal(computed.Signature, group.Signature);
        Assert.Equal(computed.FirstSeen, group.FirstSeen);

        client.Delete(id);
        await JobStates.WaitForStateAsync(storage, id, DeletedState.StateName, TimeSpan.FromSeconds(15));
        Assert.Empty(await queries.GroupFailuresAsync(new JobFilter(), 20, ct));
    }

    [Fact]
    public async Task Groups_FollowJobsIntoAndOutOfFailed_AndMatchARecount()
    {
        await using var app = WebOnlyWithJobs(4, out var connectionString, out var ids);
        var storage = app.Services.GetRequiredService<JobStorage>();
        var queries = new JobSearchQueries(app.Services.GetRequiredService<HangfireDatabase>());
        var ct = TestContext.Current.CancellationToken;

        void Move(string id, IState state)
        {
            using var connection = storage.GetConnection();
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetJobState(id, state);
            transaction.Commit();
        }

        async Task<List<(string Signature, long Count)>> GroupsAsync()
        {
            var groups = (await queries.GroupFailuresAsync(new JobFilter(), 20, ct)).Select(g => (g.Signature, g.Count)).ToList();
            // The groups always add up to the jobs that are Failed now.
            Assert.Equal(await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM hangfire.job WHERE statename = 'Failed'"), groups.Sum(g => g.Count));
            return groups;
        }

        foreach (var id in ids)
        {
            Move(id, new FailedState(new InvalidOperationException($"Order {id} was not found")));
        }

        var all = Assert.Single(await GroupsAsync());
        Assert.Equal(("System.InvalidOperationException: Order {n} was not found", 4L), all);

        Move(ids[0], new EnqueuedState());                                              // requeued: leaves Failed
        Move(ids[1], new FailedState(new TimeoutException($"Timed out after {ids[1]} ms"))); // fails again, differently
        await Sql.ExecuteAsync(connectionString, $"DELETE FROM hangfire.job WHERE id = {ids[2]}"); // row deleted
        Assert.Equal(
            [("System.InvalidOperationException: Order {n} was not found", 1L), ("System.TimeoutException: Timed out after {n} ms", 1L)],
            (await GroupsAsync()).OrderBy(g => g.Signature, StringComparer.Ordinal));

        // What the triggers kept is what a recount from the jobs finds: the same groups and counts. First and last
        // seen span every failure since the group appeared (requeueing its oldest job does not move "first seen"),
        // so they enclose the recount's, which spans only the failures still current.
        var kept = await queries.GroupFailuresAsync(new JobFilter(), 20, ct);
        await Sql.ExecuteAsync(connectionString, FailureSignatures.Rebuild("hangfire"));
        var recounted = await queries.GroupFailuresAsync(new JobFilter(), 20, ct);
        Assert.Equal(kept.Select(g => (g.Signature, g.Count, g.ExceptionType)), recounted.Select(g => (g.Signature, g.Count, g.ExceptionType)));
        Assert.All(kept.Zip(recounted), p => Assert.True(p.First.FirstSeen <= p.Second.FirstSeen && p.First.LastSeen >= p.Second.LastSeen));
        Assert.True(kept[0].FirstSeen < recounted[0].FirstSeen, "the requeued job's failure still opens its group's span");

        await Sql.ExecuteAsync(connectionString, "TRUNCATE hangfire.job CASCADE");
        Assert.Empty(await GroupsAsync());
    }

    [Fact]
    public async Task ConcurrentStateChanges_LeaveTheGroupsEqualToARecount()
    {
        await using var app = WebOnlyWithJobs(60, out var connectionString, out var ids);
        var storage = app.Services.GetRequiredService<JobStorage>();
        var queries = new JobSearchQueries(app.Services.GetRequiredService<HangfireDatabase>());
        var ct = TestContext.Current.CancellationToken;
        IState[] moves =
        [
            new FailedState(new InvalidOperationException("Order 1 was not found")),
            new FailedState(new TimeoutException("Timed out after 30 ms")),
            new FailedState(new ArgumentException("Bad value 'x'")),
            new EnqueuedState(),
            new DeletedState(),
        ];

        // 8 writers, 40 state changes each, on overlapping jobs: the groups' rows are updated concurrently.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(() =>
        {
            var random = new Random(writer);
            using var connection = storage.GetConnection();
            for (var i = 0; i < 40; i++)
            {
                using var transaction = connection.CreateWriteTransaction();
                transaction.SetJobState(ids[random.Next(ids.Count)], moves[random.Next(moves.Length)]);
                transaction.Commit();
            }
        }, ct)));

        var kept = await queries.GroupFailuresAsync(new JobFilter(), 20, ct);
        Assert.Equal(await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM hangfire.job WHERE statename = 'Failed'"), kept.Sum(g => g.Count));
        Assert.NotEmpty(kept);
        await Sql.ExecuteAsync(connectionString, FailureSignatures.Rebuild("hangfire"));
        var recounted = await queries.GroupFailuresAsync(new JobFilter(), 20, ct);
        Assert.Equal(recounted.Select(g => (g.Signature, g.Count)), kept.Select(g => (g.Signature, g.Count)));
    }

    /// <summary>A web-only app (no server runs the jobs) with <paramref name="count"/> jobs enqueued.</summary>
    private DashboardFactory WebOnlyWithJobs(int count, out string connectionString, out List<string> ids)
    {
        connectionString = postgres.CreateDatabase();
        var app = new DashboardFactory(connectionString, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        ids = [.. Enumerable.Range(0, count).Select(_ => client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None)))];
        return app;
    }
}
