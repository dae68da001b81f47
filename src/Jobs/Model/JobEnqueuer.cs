using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Dashboard.Jobs.Model;

/// <summary>
/// Enqueues a job known only by its descriptor (the HTTP API and the enqueue page), the same way
/// <c>Enqueue&lt;TJob&gt;(j =&gt; j.RunAsync(args, CancellationToken.None))</c> does in code.
/// </summary>
public sealed class JobEnqueuer(IBackgroundJobClientV2 client)
{
    /// <summary>Job parameter that pins a queue chosen at enqueue time; <see cref="Execution.QueuePolicyFilter"/> honours it on every (re)enqueue.</summary>
    public const string QueueParameter = "Queue";

    public string Enqueue(JobDescriptor descriptor, object args, string? queueOverride = null) =>
        Create(descriptor, args, queueOverride, queue => new EnqueuedState(queue));

    /// <summary>
    /// Like <see cref="Enqueue"/>, but the job waits in Scheduled until <paramref name="runAt"/>; then it goes to the
    /// chosen queue (pinned, so the queue filter keeps it there) or the class's own.
    /// </summary>
    public string Schedule(JobDescriptor descriptor, object args, DateTimeOffset runAt, string? queueOverride = null) =>
        Create(descriptor, args, queueOverride, _ => new ScheduledState(runAt.UtcDateTime));

    private string Create(JobDescriptor descriptor, object args, string? queueOverride, Func<string, IState> state)
    {
        if (!descriptor.ArgsType.IsInstanceOfType(args))
        {
            throw new ArgumentException($"{descriptor.Name} takes {descriptor.ArgsType.Name}, not {args.GetType().Name}.", nameof(args));
        }

        var queue = queueOverride ?? descriptor.Queue;
        var job = new Job(descriptor.JobType, descriptor.Method, [args, CancellationToken.None]);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (queueOverride is not null)
        {
            parameters[QueueParameter] = queueOverride;
        }

        return client.Create(job, state(queue), parameters!);
    }
}
