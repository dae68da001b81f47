using Dashboard.Web.Operations;
using Dashboard.Web.Components.Shared;
using System.Security.Claims;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Model;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Security;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Authorization;

namespace Dashboard.Web.Components.Pages.Jobs;

public enum JobCommandStatus
{
    Succeeded,
    /// <summary>The user may not operate; nothing was changed.</summary>
    Denied,
    /// <summary>No such job (or recurring job), or an id that cannot be one.</summary>
    NotFound,
    /// <summary>The job exists but Hangfire refused the change, or storage failed.</summary>
    Failed,
}

/// <param name="JobId">The job the command created (Enqueue a copy); null for commands that create none.</param>
public sealed record JobCommandResult(JobCommandStatus Status, string Message, string? JobId = null)
{
    public bool Succeeded => Status == JobCommandStatus.Succeeded;
}

public interface IJobCommands
{
    Task<JobCommandResult> RequeueAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default);

    Task<JobCommandResult> DeleteAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default);

    Task<JobCommandResult> TriggerRecurringAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a new job with the same class, method, arguments and queue as <paramref name="jobId"/>, whatever its
    /// state; <see cref="JobCommandResult.JobId"/> is the new job. A job whose class this version cannot load fails.
    /// </summary>
    Task<JobCommandResult> EnqueueCopyAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Operator actions on jobs. Each checks the Operate policy on the server (a hidden button is not security), changes
/// the job only through Hangfire's client APIs, and records the attempt, allowed or not, in the audit trail.
/// </summary>
internal sealed class JobCommands(
    IAuthorizationService authorization,
    IAuditLog audit,
    JobStorage storage,
    IBackgroundJobClient jobs,
    IBackgroundJobClientV2 client,
    IRecurringJobManager recurring,
    IJobDetailsQueries details,
    ReadFailures failures) : IJobCommands
{
    public Task<JobCommandResult> RequeueAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.JobRequeue, jobId, JobExists, () => jobs.Requeue(jobId), "Requeued", cancellationToken);

    public Task<JobCommandResult> DeleteAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.JobDelete, jobId, JobExists, () => jobs.Delete(jobId), "Deleted", cancellationToken);

    public Task<JobCommandResult> TriggerRecurringAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.RecurringTrigger, recurringJobId, RecurringJobExists, () =>
        {
            recurring.Trigger(recurringJobId);
            return true;
        }, "Triggered", cancellationToken);

    public async Task<JobCommandResult> EnqueueCopyAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default)
    {
        const string Action = AuditActions.JobEnqueueCopy;
        jobId = jobId?.Trim() ?? "";
        if (!await MayOperateAsync(user, Action, jobId, cancellationToken))
        {
            return Denied();
        }

        string newId;
        try
        {
            var source = JobIds.IsWellFormed(jobId) ? await details.FindAsync(jobId, cancellationToken) : null;
            using var connection = storage.GetConnection();
            var data = source is null ? null : connection.GetJobData(jobId);
            if (source is null || data is null)
            {
                await RecordAsync(user, Action, jobId, AuditOutcome.Failed, "not found", cancellationToken);
                return new JobCommandResult(JobCommandStatus.NotFound, $"There is no job '{jobId}'.");
            }

            if (data.Job is null)
            {
                var why = source.LoadError ?? data.LoadException?.Message ?? "its class cannot be loaded";
                await RecordAsync(user, Action, jobId, AuditOutcome.Failed, why, cancellationToken);
                return new JobCommandResult(JobCommandStatus.Failed, $"Job '{jobId}' cannot be copied: {why}");
            }

            // A queue chosen at enqueue time is a job parameter that the queue filter honours on every (re)enqueue;
            // the copy keeps it. Without one, the filter puts the copy where the class says, like the original.
            var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
            if (source.Parameters.FirstOrDefault(p => p.Name == JobEnqueuer.QueueParameter) is { Value.Length: > 0 } pinned)
            {
                parameters[JobEnqueuer.QueueParameter] = pinned.Value;
            }

            newId = client.Create(data.Job, new EnqueuedState(source.Queue), parameters);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = failures.DescribeAction(ex, $"Copying job '{jobId}'");
            await RecordAsync(user, Action, jobId, AuditOutcome.Failed, failure.Message, cancellationToken);
            return new JobCommandResult(JobCommandStatus.Failed, failure.Message);
        }

        await RecordAsync(user, Action, jobId, AuditOutcome.Succeeded, $"new job {newId}", cancellationToken);
        return new JobCommandResult(JobCommandStatus.Succeeded, $"Enqueued job '{newId}', a copy of job '{jobId}'.", newId);
    }

    private async Task<bool> MayOperateAsync(ClaimsPrincipal user, string action, string target, CancellationToken cancellationToken)
    {
        if ((await authorization.AuthorizeAsync(user, Policies.Operate)).Succeeded)
        {
            return true;
        }

        await RecordAsync(user, action, target, AuditOutcome.Denied, "requires the Operate policy", cancellationToken);
        return false;
    }

    private static JobCommandResult Denied() => new(JobCommandStatus.Denied, "You may view jobs but not change them.");

    private async Task<JobCommandResult> RunAsync(
        ClaimsPrincipal user, string action, string target, Func<string, bool> exists, Func<bool> change, string done, CancellationToken cancellationToken)
    {
        target = target?.Trim() ?? "";
        if (!await MayOperateAsync(user, action, target, cancellationToken))
        {
            return Denied();
        }

        try
        {
            if (!exists(target))
            {
                await RecordAsync(user, action, target, AuditOutcome.Failed, "not found", cancellationToken);
                return new JobCommandResult(JobCommandStatus.NotFound, $"There is no job '{target}'.");
            }

            // Hangfire answers false when the state change did not apply, e.g. the job expired meanwhile.
            if (!change())
            {
                await RecordAsync(user, action, target, AuditOutcome.Failed, "Hangfire did not apply the state change", cancellationToken);
                return new JobCommandResult(JobCommandStatus.Failed, $"Job '{target}' could not be changed; it may have expired.");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = failures.DescribeAction(ex, $"Changing job '{target}'");
            await RecordAsync(user, action, target, AuditOutcome.Failed, failure.Message, cancellationToken);
            return new JobCommandResult(JobCommandStatus.Failed, failure.Message);
        }

        await RecordAsync(user, action, target, AuditOutcome.Succeeded, null, cancellationToken);
        return new JobCommandResult(JobCommandStatus.Succeeded, $"{done} job '{target}'.");
    }

    private bool JobExists(string jobId)
    {
        if (!JobIds.IsWellFormed(jobId))
        {
            return false;
        }

        using var connection = storage.GetConnection();
        return connection.GetJobData(jobId) is not null;
    }

    private bool RecurringJobExists(string id)
    {
        if (id.Length is 0 or > 200)
        {
            return false;
        }

        using var connection = storage.GetConnection();
        return connection.GetAllEntriesFromHash($"recurring-job:{id}") is { Count: > 0 };
    }

    private Task RecordAsync(ClaimsPrincipal user, string action, string target, AuditOutcome outcome, string? details, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(Actor.NameOf(user), Actor.IdOf(user), action, Truncate(target), outcome, details), cancellationToken);

    // A malformed id typed into a URL could be anything; the audit column holds 1000 characters.
    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "…";
}

/// <summary>Hangfire.PostgreSql numbers its jobs with a bigint; anything else cannot name a job and never reaches storage.</summary>
internal static class JobIds
{
    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= 19 } && id.All(char.IsAsciiDigit) && long.TryParse(id, out var value) && value > 0;
}
