using Dashboard.Web.Operations;
using System.Globalization;
using System.Security.Claims;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Security;
using Hangfire.States;
using Microsoft.AspNetCore.Authorization;

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
    IAuthorizationService authorization,
    IAuditLog audit,
    IJobSearchQueries search,
    BulkJobOperations operations) : IFailedJobCommands
{
    public Task<MatchSnapshot> PreviewAsync(JobFilter filter, CancellationToken cancellationToken = default) =>
        search.SnapshotAsync(filter with { State = FailedState.StateName }, cancellationToken);

    public async Task<BulkStartResult> StartAsync(
        ClaimsPrincipal user, BulkAction action, JobFilter filter, MatchSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        filter = filter with { State = FailedState.StateName };
        var name = BulkJobOperations.ActionName(action);
        var target = BulkJobOperations.AuditTarget(filter);
        var details = string.Create(CultureInfo.InvariantCulture, $"filter: {filter.Describe()}; count: {snapshot.Count}");
        if (!(await authorization.AuthorizeAsync(user, Policies.Operate)).Succeeded)
        {
            await RecordAsync(user, name, target, AuditOutcome.Denied, details + "; requires the Operate policy", cancellationToken);
            return new BulkStartResult(JobCommandStatus.Denied, "You may view jobs but not change them.");
        }

        if (snapshot.Count == 0 || snapshot.NewestId is null)
        {
            await RecordAsync(user, name, target, AuditOutcome.Failed, details + "; nothing matched", cancellationToken);
            return new BulkStartResult(JobCommandStatus.NotFound, "No failed jobs match this filter.");
        }

        var operation = operations.TryReserve(action, filter, snapshot, new BulkActor(Actor.NameOf(user), Actor.IdOf(user)));
        if (operation is null)
        {
            await RecordAsync(user, name, target, AuditOutcome.Failed, details + "; another bulk operation is running", cancellationToken);
            return new BulkStartResult(JobCommandStatus.Failed, "Another bulk operation is still running; wait for it or cancel it.");
        }

        // Recorded before the walk starts, so the trail reads request, then result.
        await RecordAsync(user, name, target, AuditOutcome.Succeeded, "started; " + details, cancellationToken);
        operations.Run(operation.Id);
        var verb = action == BulkAction.Requeue ? "Requeueing" : "Deleting";
        return new BulkStartResult(JobCommandStatus.Succeeded, string.Create(CultureInfo.InvariantCulture, $"{verb} {snapshot.Count:N0} failed jobs."), operation);
    }

    public async Task<JobCommandResult> CancelAsync(ClaimsPrincipal user, Guid operationId, CancellationToken cancellationToken = default)
    {
        const string Name = AuditActions.JobsBulkCancel;
        var target = operationId.ToString();
        if (!(await authorization.AuthorizeAsync(user, Policies.Operate)).Succeeded)
        {
            await RecordAsync(user, Name, target, AuditOutcome.Denied, "requires the Operate policy", cancellationToken);
            return new JobCommandResult(JobCommandStatus.Denied, "You may view jobs but not change them.");
        }

        if (!operations.Cancel(operationId))
        {
            await RecordAsync(user, Name, target, AuditOutcome.Failed, "not running", cancellationToken);
            return new JobCommandResult(JobCommandStatus.NotFound, "That operation is no longer running.");
        }

        await RecordAsync(user, Name, target, AuditOutcome.Succeeded, null, cancellationToken);
        return new JobCommandResult(JobCommandStatus.Succeeded, "Cancelling; jobs already changed stay changed.");
    }

    private Task RecordAsync(ClaimsPrincipal user, string action, string target, AuditOutcome outcome, string? details, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(Actor.NameOf(user), Actor.IdOf(user), action, target, outcome, details), cancellationToken);
}
