using Dashboard.Web.Components.Shared;
using Dashboard.Web.Operations;
using System.Security.Claims;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Model;
using Dashboard.Web.Security;
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
    OperatorActions actions,
    JobCatalog catalog,
    JobEnqueuer enqueuer,
    IOptions<HangfireOptions> hangfire,
    TimeProvider time) : IEnqueueCommands
{
    private const string Action = AuditActions.JobEnqueue;

    public Task<EnqueueResult> EnqueueAsync(ClaimsPrincipal user, EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.JobName.Trim();
        var descriptor = catalog.Find(name);
        var action = new OperatorAction(Policies.Operate, Action, Truncate(name), $"Enqueueing {descriptor?.Name ?? name}");
        return actions.RunAsync(
            user,
            action,
            _ => Task.FromResult(Enqueue(request, name, descriptor)),
            () => new EnqueueResult(EnqueueStatus.Denied, "You may view jobs but not enqueue them."),
            message => new EnqueueResult(EnqueueStatus.Failed, message),
            cancellationToken);
    }

    private ActionOutcome<EnqueueResult> Enqueue(EnqueueRequest request, string name, JobDescriptor? descriptor)
    {
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
            return ActionOutcome<EnqueueResult>.Refused(
                new(EnqueueStatus.Invalid, $"Nothing was enqueued. Fix these fields: {string.Join(", ", errors.Keys)}.", Errors: errors),
                $"invalid: {string.Join(", ", errors.Keys)}");
        }

        // The job's own queue needs no pin: the queue filter puts it (and its retries) there anyway.
        var pinned = request.Queue == descriptor.Queue ? null : request.Queue;
        var target = pinned ?? descriptor.Queue;
        var jobId = request.RunAt is { } at ? enqueuer.Schedule(descriptor, args, at, pinned) : enqueuer.Enqueue(descriptor, args, pinned);
        var when = request.RunAt is { } scheduled
            ? ", scheduled for " + Times.Format(scheduled)
            : "";
        // The row of an enqueue names the job it created.
        return new ActionOutcome<EnqueueResult>(
            new(EnqueueStatus.Succeeded, $"Enqueued {descriptor.Name} as job {jobId} in queue '{target}'{when}.", jobId),
            AuditOutcome.Succeeded, $"{descriptor.Name} in queue '{target}'{when}", jobId);
    }

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
