using System.Security.Claims;
using Dashboard.Web.Components.Pages.Jobs;

namespace Dashboard.Web.Tests.Fakes;

internal sealed class FakeJobDetailsQueries : IJobDetailsQueries
{
    public Dictionary<string, JobDetailsView> Jobs { get; } = [];

    public Exception? Failure { get; set; }

    public Task<JobDetailsView?> FindAsync(string jobId, CancellationToken cancellationToken = default) =>
        Failure is { } failure ? Task.FromException<JobDetailsView?>(failure) : Task.FromResult(Jobs.GetValueOrDefault(jobId));
}

internal sealed class FakeJobCommands : IJobCommands
{
    public List<(string Command, string User, string Id)> Calls { get; } = [];

    public Task<JobCommandResult> RequeueAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        Record("requeue", user, jobId);

    public Task<JobCommandResult> DeleteAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        Record("delete", user, jobId);

    public Task<JobCommandResult> TriggerRecurringAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        Record("trigger", user, recurringJobId);

    /// <summary>The id the next copy gets.</summary>
    public string NextCopyId { get; set; } = "43";

    public async Task<JobCommandResult> EnqueueCopyAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default)
    {
        var result = await Record("enqueue-copy", user, jobId);
        return result with { JobId = NextCopyId };
    }

    private Task<JobCommandResult> Record(string command, ClaimsPrincipal user, string id)
    {
        Calls.Add((command, user.Identity?.Name ?? "", id));
        return Task.FromResult(new JobCommandResult(JobCommandStatus.Succeeded, $"{command} {id} done"));
    }
}
