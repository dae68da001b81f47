using Dashboard.Web.Operations;
using Dashboard.Web.Components.Shared;
using System.Security.Claims;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Recurring;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Security;
using Hangfire;
using Microsoft.AspNetCore.Authorization;

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
    IAuthorizationService authorization,
    IAuditLog audit,
    JobStorage storage,
    IRecurringJobManager recurring,
    IJobCommands jobs,
    IRecurringJobQueries queries,
    TimeProvider time,
    ReadFailures failures) : IRecurringJobCommands
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

    private async Task<JobCommandResult> RunAsync(
        ClaimsPrincipal user, string action, string target, string done, Func<string, bool> change, CancellationToken cancellationToken)
    {
        target = target?.Trim() ?? "";
        if (!(await authorization.AuthorizeAsync(user, Policies.Operate)).Succeeded)
        {
            await RecordAsync(user, action, target, AuditOutcome.Denied, "requires the Operate policy", cancellationToken);
            return new JobCommandResult(JobCommandStatus.Denied, "You may view recurring jobs but not change them.");
        }

        if (target.Length is 0 or > 200)
        {
            await RecordAsync(user, action, target, AuditOutcome.Failed, "not found", cancellationToken);
            return new JobCommandResult(JobCommandStatus.NotFound, $"There is no recurring job '{target}'.");
        }

        bool found;
        try
        {
            // Hangfire's storage API is synchronous; keep it off the circuit's thread.
            found = await Task.Run(() => change(target), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = failures.DescribeAction(ex, $"Changing recurring job '{target}'");
            await RecordAsync(user, action, target, AuditOutcome.Failed, failure.Message, cancellationToken);
            return new JobCommandResult(JobCommandStatus.Failed, failure.Message);
        }
        finally
        {
            queries.Invalidate();
        }

        if (!found)
        {
            await RecordAsync(user, action, target, AuditOutcome.Failed, "not found", cancellationToken);
            return new JobCommandResult(JobCommandStatus.NotFound, $"There is no recurring job '{target}'.");
        }

        await RecordAsync(user, action, target, AuditOutcome.Succeeded, null, cancellationToken);
        return new JobCommandResult(JobCommandStatus.Succeeded, $"{done} recurring job '{target}'.");
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

    private Task RecordAsync(ClaimsPrincipal user, string action, string target, AuditOutcome outcome, string? details, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(Actor.NameOf(user), Actor.IdOf(user), action, target.Length <= 200 ? target : target[..200] + "…", outcome, details), cancellationToken);
}
