using Dashboard.Web.Operations;
using System.Globalization;
using System.Security.Claims;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Security;
using Hangfire.States;

namespace Dashboard.Web.Components.Pages.Failed;

public sealed record BulkStartResult(JobCommandStatus Status, string Message, BulkProgress? Operation = null)
{
    public bool Succeeded => Status == JobCommandStatus.Succeeded;
}

/// <summary>The Failed page's actions on everything matching a filter. Per-row actions go through <see cref="IJobCommands"/>.</summary>
public interface IFailedJobCommands
{
    /// <summary>The exact number of failed jobs matching <paramref name="filter"/>, for the confirmation.</summary>
    Task<MatchSnapshot> PreviewAsync(JobFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Starts requeueing or deleting the jobs counted in <paramref name="snapshot"/>; returns at once.</summary>
    Task<BulkStartResult> StartAsync(ClaimsPrincipal user, BulkAction action, JobFilter filter, MatchSnapshot snapshot, CancellationToken cancellationToken = default);

    Task<JobCommandResult> CancelAsync(ClaimsPrincipal user, Guid operationId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Checks the Operate policy on the server and writes the audit record of the request (one for the whole operation,
/// with its filter and count; <see cref="BulkJobOperations"/> adds one with the result when it ends).
/// </summary>
internal sealed class FailedJobCommands(
    OperatorActions actions,
    IJobSearchQueries search,
    BulkJobOperations operations) : IFailedJobCommands
{
    public Task<MatchSnapshot> PreviewAsync(JobFilter filter, CancellationToken cancellationToken = default) =>
        search.SnapshotAsync(filter with { State = FailedState.StateName }, cancellationToken);

    public async Task<BulkStartResult> StartAsync(
        ClaimsPrincipal user, BulkAction action, JobFilter filter, MatchSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        filter = filter with { State = FailedState.StateName };
        var details = string.Create(CultureInfo.InvariantCulture, $"filter: {filter.Describe()}; count: {snapshot.Count}");
        var verb = action == BulkAction.Requeue ? "Requeueing" : "Deleting";
        var request = new OperatorAction(
            Policies.Operate, BulkJobOperations.ActionName(action), BulkJobOperations.AuditTarget(filter), $"{verb} the matching failed jobs", details);
        BulkProgress? reserved = null;
        var result = await actions.RunAsync(user, request, _ =>
        {
            if (snapshot.Count == 0 || snapshot.NewestId is null)
            {
                return Task.FromResult(ActionOutcome<BulkStartResult>.Refused(
                    new(JobCommandStatus.NotFound, "No failed jobs match this filter."), details + "; nothing matched"));
            }

            reserved = operations.TryReserve(action, filter, snapshot, new BulkActor(Actor.NameOf(user), Actor.IdOf(user)));
            return Task.FromResult(reserved is null
                ? ActionOutcome<BulkStartResult>.Refused(
                    new(JobCommandStatus.Failed, "Another bulk operation is still running; wait for it or cancel it."), details + "; another bulk operation is running")
                // Recorded before the walk starts, so the trail reads request, then result.
                : ActionOutcome<BulkStartResult>.Done(
                    new(JobCommandStatus.Succeeded, string.Create(CultureInfo.InvariantCulture, $"{verb} {snapshot.Count:N0} failed jobs."), reserved),
                    "started; " + details));
        },
        () => new BulkStartResult(JobCommandStatus.Denied, "You may view jobs but not change them."),
        message => new BulkStartResult(JobCommandStatus.Failed, message),
        cancellationToken);

        if (reserved is not null)
        {
            // The walk starts only once its request is on record, outside the request's transaction.
            if (result.Succeeded)
            {
                operations.Run(reserved.Id);
            }
            else
            {
                operations.Abandon(reserved.Id);
            }
        }

        return result;
    }

    public Task<JobCommandResult> CancelAsync(ClaimsPrincipal user, Guid operationId, CancellationToken cancellationToken = default)
    {
        var target = operationId.ToString();
        var request = new OperatorAction(Policies.Operate, AuditActions.JobsBulkCancel, target, $"Cancelling bulk operation {target}");
        return actions.RunAsync(user, request, _ => Task.FromResult(operations.Cancel(operationId)
                ? ActionOutcome<JobCommandResult>.Done(new(JobCommandStatus.Succeeded, "Cancelling; jobs already changed stay changed."))
                : ActionOutcome<JobCommandResult>.Refused(new(JobCommandStatus.NotFound, "That operation is no longer running."), "not running")),
            () => new JobCommandResult(JobCommandStatus.Denied, "You may view jobs but not change them."),
            message => new JobCommandResult(JobCommandStatus.Failed, message),
            cancellationToken);
    }
}
