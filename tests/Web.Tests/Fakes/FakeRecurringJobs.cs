using System.Security.Claims;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Recurring;

namespace Dashboard.Web.Tests.Fakes;

internal sealed class FakeRecurringJobQueries : IRecurringJobQueries
{
    public List<RecurringJobView> Jobs { get; } = [];

    public Exception? Failure { get; set; }

    public int Reads { get; private set; }

    public int Invalidations { get; private set; }

    public Task<RecurringJobsList> GetAsync()
    {
        Reads++;
        return Failure is { } failure ? Task.FromException<RecurringJobsList>(failure) : Task.FromResult(new RecurringJobsList(Snapshots.Now, [.. Jobs]));
    }

    public void Invalidate() => Invalidations++;

    public static RecurringJobView Job(
        string id, string cron = "*/5 * * * *", bool paused = false, string? lastJobId = "41", string? lastState = "Succeeded", string? error = null, bool declared = true) =>
        new(id, "AggregateMetricsJob.RunAsync", "low", cron, "UTC",
            Snapshots.Now.AddMinutes(3), Snapshots.Now.AddMinutes(-2), lastJobId, lastState, Snapshots.Now.AddDays(-3), error,
            paused, paused ? Snapshots.Now.AddHours(-1) : null, paused ? "ann@example.com" : null, declared);
}

internal sealed class FakeRecurringJobCommands : IRecurringJobCommands
{
    public List<(string Command, string User, string Id)> Calls { get; } = [];

    public Task<JobCommandResult> TriggerAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        Record("trigger", user, recurringJobId);

    public Task<JobCommandResult> PauseAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        Record("pause", user, recurringJobId);

    public Task<JobCommandResult> ResumeAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        Record("resume", user, recurringJobId);

    public Task<JobCommandResult> RemoveAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        Record("remove", user, recurringJobId);

    private Task<JobCommandResult> Record(string command, ClaimsPrincipal user, string id)
    {
        Calls.Add((command, user.Identity?.Name ?? "", id));
        return Task.FromResult(new JobCommandResult(JobCommandStatus.Succeeded, $"{command} {id} done"));
    }
}
