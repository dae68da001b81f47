using Dashboard.Web.Operations;
using System.Security.Claims;
using Dashboard.Jobs.Recurring;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Security;
using Hangfire;

namespace Dashboard.Web.Components.Pages.Recurring;

public interface IRecurringJobCommands
{
    /// <summary>Runs the job once now, paused or not (audited as <c>recurring.trigger</c>).</summary>
    Task<JobCommandResult> TriggerAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default);

    Task<JobCommandResult> PauseAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default);

    Task<JobCommandResult> ResumeAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default);

    Task<JobCommandResult> RemoveAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Operator actions on recurring jobs: checked against the Operate policy on the server, made through Hangfire's
/// storage and recurring-job APIs, and audited whatever the outcome. Trigger reuses <see cref="IJobCommands"/>
/// inside <see cref="RecurringJobPause.AllowManualTrigger"/>, so a paused job still runs once when asked.
/// </summary>
internal sealed class RecurringJobCommands(
    OperatorActions actions,
    JobStorage storage,
    IRecurringJobManager recurring,
    IJobCommands jobs,
    IRecurringJobQueries queries,
    TimeProvider time) : IRecurringJobCommands
{
    public async Task<JobCommandResult> TriggerAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default)
    {
        // The flag flows into the awaited call and to Hangfire's Trigger, which creates the job on this flow.
        using (RecurringJobPause.AllowManualTrigger())
        {
            var result = await jobs.TriggerRecurringAsync(user, recurringJobId, cancellationToken);
            queries.Invalidate();
            return result;
        }
    }

    public Task<JobCommandResult> PauseAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.RecurringPause, recurringJobId, "Paused", id => SetPaused(user, id, paused: true), cancellationToken);

    public Task<JobCommandResult> ResumeAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.RecurringResume, recurringJobId, "Resumed", id => SetPaused(user, id, paused: false), cancellationToken);

    public Task<JobCommandResult> RemoveAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.RecurringRemove, recurringJobId, "Removed", id =>
        {
            if (!Exists(id))
            {
                return false;
            }

            recurring.RemoveIfExists(id);
            return true;
        }, cancellationToken);

    private Task<JobCommandResult> RunAsync(
        ClaimsPrincipal user, string name, string target, string done, Func<string, bool> change, CancellationToken cancellationToken)
    {
        target = target?.Trim() ?? "";
        var action = new OperatorAction(
            Policies.Operate, name, target.Length <= 200 ? target : target[..200] + "…", $"Changing recurring job '{target}'");
        var notFound = ActionOutcome<JobCommandResult>.Refused(
            new(JobCommandStatus.NotFound, $"There is no recurring job '{target}'."), "not found");
        return actions.RunAsync(user, action, async _ =>
        {
            if (target.Length is 0 or > 200)
            {
                return notFound;
            }

            try
            {
                // Hangfire's storage API is synchronous; keep it off the circuit's thread (the transaction flows along).
                return await Task.Run(() => change(target), CancellationToken.None)
                    ? ActionOutcome<JobCommandResult>.Done(new(JobCommandStatus.Succeeded, $"{done} recurring job '{target}'."))
                    : notFound;
            }
            finally
            {
                queries.Invalidate();
            }
        },
        () => new JobCommandResult(JobCommandStatus.Denied, "You may view recurring jobs but not change them."),
        message => new JobCommandResult(JobCommandStatus.Failed, message),
        cancellationToken);
    }

    private bool SetPaused(ClaimsPrincipal user, string id, bool paused)
    {
        using var connection = storage.GetConnection();
        return RecurringJobPause.SetPaused(connection, id, paused, Actor.NameOf(user), time.GetUtcNow());
    }

    private bool Exists(string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllEntriesFromHash(RecurringJobPause.HashKey(id)) is { Count: > 0 };
    }
}
