using Dashboard.Web.Operations;
using System.Security.Claims;
using Dashboard.Jobs.Model;
using Dashboard.Web.Security;
using Hangfire;
using Hangfire.States;

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
/// Operator actions on jobs. Each goes through <see cref="OperatorActions"/>: the Operate policy checked on the server
/// (a hidden button is not security), the job changed only through Hangfire's client APIs in the same transaction as
/// its audit row, allowed or not.
/// </summary>
internal sealed class JobCommands(
    OperatorActions actions,
    JobStorage storage,
    IBackgroundJobClient jobs,
    IBackgroundJobClientV2 client,
    IRecurringJobManager recurring,
    IJobDetailsQueries details) : IJobCommands
{
    public Task<JobCommandResult> RequeueAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.JobRequeue, jobId, JobExists, id => jobs.Requeue(id), "Requeued", cancellationToken);

    public Task<JobCommandResult> DeleteAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.JobDelete, jobId, JobExists, id => jobs.Delete(id), "Deleted", cancellationToken);

    public Task<JobCommandResult> TriggerRecurringAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, AuditActions.RecurringTrigger, recurringJobId, RecurringJobExists, id =>
        {
            recurring.Trigger(id);
            return true;
        }, "Triggered", cancellationToken);

    public Task<JobCommandResult> EnqueueCopyAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default)
    {
        jobId = jobId?.Trim() ?? "";
        var action = new OperatorAction(Policies.Operate, AuditActions.JobEnqueueCopy, Truncate(jobId), $"Copying job '{jobId}'");
        return actions.RunAsync(user, action, ct => CopyAsync(jobId, ct), Denied, Failed, cancellationToken);
    }

    private async Task<ActionOutcome<JobCommandResult>> CopyAsync(string jobId, CancellationToken cancellationToken)
    {
        var source = JobIds.IsWellFormed(jobId) ? await details.FindAsync(jobId, cancellationToken) : null;
        using var connection = storage.GetConnection();
        var data = source is null ? null : connection.GetJobData(jobId);
        if (source is null || data is null)
        {
            return ActionOutcome<JobCommandResult>.Refused(new(JobCommandStatus.NotFound, $"There is no job '{jobId}'."), "not found");
        }

        if (data.Job is null)
        {
            var why = source.LoadError ?? data.LoadException?.Message ?? "its class cannot be loaded";
            return ActionOutcome<JobCommandResult>.Refused(new(JobCommandStatus.Failed, $"Job '{jobId}' cannot be copied: {why}"), why);
        }

        // A queue chosen at enqueue time is a job parameter that the queue filter honours on every (re)enqueue;
        // the copy keeps it. Without one, the filter puts the copy where the class says, like the original.
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        if (source.Parameters.FirstOrDefault(p => p.Name == JobEnqueuer.QueueParameter) is { Value.Length: > 0 } pinned)
        {
            parameters[JobEnqueuer.QueueParameter] = pinned.Value;
        }

        var newId = client.Create(data.Job, new EnqueuedState(source.Queue), parameters);
        return ActionOutcome<JobCommandResult>.Done(
            new(JobCommandStatus.Succeeded, $"Enqueued job '{newId}', a copy of job '{jobId}'.", newId), $"new job {newId}");
    }

    private static JobCommandResult Denied() => new(JobCommandStatus.Denied, "You may view jobs but not change them.");

    private static JobCommandResult Failed(string message) => new(JobCommandStatus.Failed, message);

    private Task<JobCommandResult> RunAsync(
        ClaimsPrincipal user, string name, string target, Func<string, bool> exists, Func<string, bool> change, string done, CancellationToken cancellationToken)
    {
        target = target?.Trim() ?? "";
        var action = new OperatorAction(Policies.Operate, name, Truncate(target), $"Changing job '{target}'");
        return actions.RunAsync(user, action, _ =>
        {
            if (!exists(target))
            {
                return Task.FromResult(ActionOutcome<JobCommandResult>.Refused(new(JobCommandStatus.NotFound, $"There is no job '{target}'."), "not found"));
            }

            // Hangfire answers false when the state change did not apply, e.g. the job expired meanwhile.
            return Task.FromResult(change(target)
                ? ActionOutcome<JobCommandResult>.Done(new(JobCommandStatus.Succeeded, $"{done} job '{target}'."))
                : ActionOutcome<JobCommandResult>.Refused(
                    new(JobCommandStatus.Failed, $"Job '{target}' could not be changed; it may have expired."), "Hangfire did not apply the state change"));
        }, Denied, Failed, cancellationToken);
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

    // A malformed id typed into a URL could be anything; the audit column holds 1000 characters.
    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "…";
}

/// <summary>Hangfire.PostgreSql numbers its jobs with a bigint; anything else cannot name a job and never reaches storage.</summary>
internal static class JobIds
{
    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= 19 } && id.All(char.IsAsciiDigit) && long.TryParse(id, out var value) && value > 0;
}
