using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Hosting;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs;

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
}
