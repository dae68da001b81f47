using System.Diagnostics;
using Dashboard.Jobs.Model;
using Hangfire.Server;

namespace Dashboard.Jobs.Metrics;

/// <summary>Times every job this process performs and records it in <see cref="ExecutionMetrics"/> and <see cref="JobInstruments"/>.</summary>
public sealed class ExecutionMetricsFilter(ExecutionMetrics metrics, JobInstruments instruments, JobCatalog catalog) : IServerFilter
{
    private const string StartedKey = "dashboard:started";

    public void OnPerforming(PerformingContext context)
    {
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
        metrics.Started();
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(StartedKey, out var started) is false || started is not long startedAt)
        {
            return;
        }

        var durationMs = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
        var type = context.BackgroundJob.Job?.Type;
        var descriptor = type is null ? null : catalog.Find(type);
        var jobType = descriptor?.Name ?? type?.Name ?? "unknown";
        // The queue a job was pinned to at enqueue, when storage handed us its parameters; else its declared queue.
        var queue = context.BackgroundJob.ParametersSnapshot?.TryGetValue(JobEnqueuer.QueueParameter, out var pinned) == true && pinned is { Length: > 0 }
            ? pinned.Trim('"')
            : descriptor?.Queue ?? "default";
        // A job cancelled by shutdown is requeued, not failed.
        var failed = context.Exception is not null && !context.ExceptionHandled && context.Exception is not OperationCanceledException;
        metrics.Finished(jobType, queue, durationMs, failed);
        instruments.Finished(jobType, queue, durationMs, failed);
    }
}
