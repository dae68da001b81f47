using System.Text.Json;
using Hangfire;
using Hangfire.States;

namespace Dashboard.Web.Components.Pages.Jobs;

public sealed record JobStateView(string State, string? Reason, DateTimeOffset At);

public sealed record JobFailureView(string ExceptionType, string Message, string? Details);

public sealed record JobDetailsView(
    string Id,
    string JobType,
    string Queue,
    string State,
    DateTimeOffset? CreatedAt,
    string ArgumentsJson,
    IReadOnlyList<JobStateView> History,
    JobFailureView? LastFailure);

public interface IJobDetailsQueries
{
    /// <summary>The job, or null when there is none with that id (including ids that cannot be one).</summary>
    Task<JobDetailsView?> FindAsync(string jobId, CancellationToken cancellationToken = default);
}

/// <summary>One job from Hangfire's monitoring API: a single-row read, cheap whatever the size of the job table.</summary>
internal sealed class JobDetailsQueries(JobStorage storage) : IJobDetailsQueries
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Task<JobDetailsView?> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (!JobIds.IsWellFormed(jobId))
        {
            return Task.FromResult<JobDetailsView?>(null);
        }

        // Hangfire's storage API is synchronous; off the circuit's thread it does not stall other events.
        return Task.Run(() => Read(jobId), cancellationToken);
    }

    private JobDetailsView? Read(string jobId)
    {
        var details = storage.GetMonitoringApi().JobDetails(jobId);
        if (details is null)
        {
            return null;
        }

        var history = details.History
            .OrderByDescending(h => h.CreatedAt)
            .Select(h => new JobStateView(h.StateName, h.Reason, new DateTimeOffset(DateTime.SpecifyKind(h.CreatedAt, DateTimeKind.Utc))))
            .ToList();
        var queue = details.History
            .Where(h => h.StateName == EnqueuedState.StateName)
            .OrderByDescending(h => h.CreatedAt)
            .Select(h => h.Data.TryGetValue("Queue", out var q) ? q : null)
            .FirstOrDefault(q => q is not null) ?? details.Job?.Queue ?? EnqueuedState.DefaultQueue;
        var failure = details.History
            .Where(h => h.StateName == FailedState.StateName)
            .OrderByDescending(h => h.CreatedAt)
            .Select(h => new JobFailureView(
                h.Data.TryGetValue("ExceptionType", out var type) ? type : "Exception",
                h.Data.TryGetValue("ExceptionMessage", out var message) ? message : h.Reason ?? "",
                h.Data.TryGetValue("ExceptionDetails", out var stack) ? stack : null))
            .FirstOrDefault();

        return new JobDetailsView(
            jobId,
            details.Job is { } job ? $"{job.Type.Name}.{job.Method.Name}" : details.InvocationData?.Type ?? "(unknown type)",
            queue,
            history.FirstOrDefault()?.State ?? "(none)",
            details.CreatedAt is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            ArgumentsOf(details),
            history,
            failure);
    }

    private static string ArgumentsOf(Hangfire.Storage.Monitoring.JobDetailsDto details)
    {
        if (details.Job is not { } job)
        {
            // The job's type could not be loaded in this process; the stored JSON is still worth showing.
            return details.InvocationData?.Arguments ?? "[]";
        }

        // The token Hangfire substitutes at run time carries nothing an operator needs to see.
        var named = job.Method.GetParameters()
            .Zip(job.Args)
            .Where(p => p.First.ParameterType != typeof(CancellationToken))
            .ToDictionary(p => p.First.Name ?? "arg", p => p.Second);
        return JsonSerializer.Serialize(named, Indented);
    }
}
