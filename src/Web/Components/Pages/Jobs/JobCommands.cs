using System.Security.Claims;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Security;
using Hangfire;
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

public sealed record JobCommandResult(JobCommandStatus Status, string Message)
{
    public bool Succeeded => Status == JobCommandStatus.Succeeded;
}

public interface IJobCommands
{
    Task<JobCommandResult> RequeueAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default);

    Task<JobCommandResult> DeleteAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default);

    Task<JobCommandResult> TriggerRecurringAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default);
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
    IRecurringJobManager recurring) : IJobCommands
{
    public Task<JobCommandResult> RequeueAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, "job.requeue", jobId, JobExists, () => jobs.Requeue(jobId), "Requeued", cancellationToken);

    public Task<JobCommandResult> DeleteAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, "job.delete", jobId, JobExists, () => jobs.Delete(jobId), "Deleted", cancellationToken);

    public Task<JobCommandResult> TriggerRecurringAsync(ClaimsPrincipal user, string recurringJobId, CancellationToken cancellationToken = default) =>
        RunAsync(user, "recurring.trigger", recurringJobId, RecurringJobExists, () =>
        {
            recurring.Trigger(recurringJobId);
            return true;
        }, "Triggered", cancellationToken);

    private async Task<JobCommandResult> RunAsync(
        ClaimsPrincipal user, string action, string target, Func<string, bool> exists, Func<bool> change, string done, CancellationToken cancellationToken)
    {
        target = target?.Trim() ?? "";
        if (!(await authorization.AuthorizeAsync(user, Policies.Operate)).Succeeded)
        {
            await RecordAsync(user, action, target, AuditOutcome.Denied, "requires the Operate policy", cancellationToken);
            return new JobCommandResult(JobCommandStatus.Denied, "You may view jobs but not change them.");
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
            await RecordAsync(user, action, target, AuditOutcome.Failed, ex.Message, cancellationToken);
            return new JobCommandResult(JobCommandStatus.Failed, $"Job '{target}' could not be changed: {ex.Message}");
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
