using Dashboard.Web.Operations;
using Dashboard.Web.Components.Shared;
using System.Globalization;
using System.Security.Claims;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Model;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Components.Pages.Enqueue;

public enum EnqueueStatus
{
    Succeeded,
    /// <summary>The user may not operate; nothing was enqueued.</summary>
    Denied,
    /// <summary>Unknown job or queue, a run time in the past, or arguments the HTTP API would reject; nothing was enqueued.</summary>
    Invalid,
    /// <summary>The job could not be stored.</summary>
    Failed,
}

/// <param name="ArgumentsJson">The job's arguments as the HTTP API takes them: a camelCase JSON object.</param>
/// <param name="Queue">One of the configured queues; null for the job's own.</param>
/// <param name="RunAt">When to run it; null for now.</param>
public sealed record EnqueueRequest(string JobName, string ArgumentsJson, string? Queue = null, DateTimeOffset? RunAt = null);

/// <param name="Errors">For <see cref="EnqueueStatus.Invalid"/>: messages by field (JSON name, or <c>queue</c>, <c>runAt</c>, <c>$</c> for the whole).</param>
public sealed record EnqueueResult(EnqueueStatus Status, string Message, string? JobId = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool Succeeded => Status == EnqueueStatus.Succeeded;
}

public interface IEnqueueCommands
{
    Task<EnqueueResult> EnqueueAsync(ClaimsPrincipal user, EnqueueRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// Enqueues a job from the Enqueue page: Operate checked here (the page's attribute is not security), arguments bound
/// by the HTTP API's own binder, created through <see cref="JobEnqueuer"/>, and every attempt written to the audit trail.
/// </summary>
internal sealed class EnqueueCommands(
    IAuthorizationService authorization,
    IAuditLog audit,
    JobCatalog catalog,
    JobEnqueuer enqueuer,
    IOptions<HangfireOptions> hangfire,
    TimeProvider time,
    ReadFailures failures) : IEnqueueCommands
{
    private const string Action = AuditActions.JobEnqueue;

    public async Task<EnqueueResult> EnqueueAsync(ClaimsPrincipal user, EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        var name = request.JobName.Trim();
        if (!(await authorization.AuthorizeAsync(user, Policies.Operate)).Succeeded)
        {
            await RecordAsync(user, Truncate(name), AuditOutcome.Denied, "requires the Operate policy", cancellationToken);
            return new EnqueueResult(EnqueueStatus.Denied, "You may view jobs but not enqueue them.");
        }

        var descriptor = catalog.Find(name);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (descriptor is null)
        {
            errors["job"] = [$"Unknown job '{name}'. The jobs are: {string.Join(", ", catalog.Jobs.Select(j => j.Name))}."];
        }

        var queues = hangfire.Value.EffectiveQueues;
        if (request.Queue is { } queue && !queues.Contains(queue, StringComparer.Ordinal))
        {
            errors["queue"] = [$"Unknown queue '{queue}'. The queues are: {string.Join(", ", queues)}."];
        }

        if (request.RunAt is { } runAt && runAt <= time.GetUtcNow())
        {
            errors["runAt"] = ["Must be in the future (UTC); leave it empty to run now."];
        }

        object? args = null;
        if (descriptor is not null)
        {
            (args, var invalid) = ArgumentFields.Bind(descriptor.ArgsType, request.ArgumentsJson);
            foreach (var (field, messages) in invalid)
            {
                errors[field] = messages;
            }
        }

        if (errors.Count > 0 || descriptor is null || args is null)
        {
            await RecordAsync(user, Truncate(name), AuditOutcome.Failed, $"invalid: {string.Join(", ", errors.Keys)}", cancellationToken);
            return new EnqueueResult(EnqueueStatus.Invalid, $"Nothing was enqueued. Fix these fields: {string.Join(", ", errors.Keys)}.", Errors: errors);
        }

        // The job's own queue needs no pin: the queue filter puts it (and its retries) there anyway.
        var pinned = request.Queue == descriptor.Queue ? null : request.Queue;
        var target = pinned ?? descriptor.Queue;
        string jobId;
        try
        {
            jobId = request.RunAt is { } at ? enqueuer.Schedule(descriptor, args, at, pinned) : enqueuer.Enqueue(descriptor, args, pinned);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = failures.DescribeAction(ex, $"Enqueueing {descriptor.Name}");
            await RecordAsync(user, Truncate(name), AuditOutcome.Failed, failure.Message, cancellationToken);
            return new EnqueueResult(EnqueueStatus.Failed, failure.Message);
        }

        var when = request.RunAt is { } scheduled
            ? string.Create(CultureInfo.InvariantCulture, $", scheduled for {scheduled.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")
            : "";
        await RecordAsync(user, jobId, AuditOutcome.Succeeded, $"{descriptor.Name} in queue '{target}'{when}", cancellationToken);
        return new EnqueueResult(EnqueueStatus.Succeeded, $"Enqueued {descriptor.Name} as job {jobId} in queue '{target}'{when}.", jobId);
    }

    private Task RecordAsync(ClaimsPrincipal user, string target, AuditOutcome outcome, string? details, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(Actor.NameOf(user), Actor.IdOf(user), Action, target, outcome, details), cancellationToken);

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
