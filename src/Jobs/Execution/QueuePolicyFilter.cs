using Dashboard.Jobs.Model;
using Hangfire.Common;
using Hangfire.States;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// Puts every enqueue of a job, retries included, in the right queue: the queue chosen at enqueue time (the HTTP
/// API's <c>?queue=</c>, kept as a job parameter) if there is one, else the class's <see cref="JobQueueAttribute"/>.
/// </summary>
public sealed class QueuePolicyFilter : JobFilterAttribute, IElectStateFilter
{
    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not EnqueuedState enqueued)
        {
            return;
        }

        var pinned = context.GetJobParameter<string>(JobEnqueuer.QueueParameter, allowStale: true);
        var declared = context.BackgroundJob.Job?.Type is { } type
            ? (JobQueueAttribute?)Attribute.GetCustomAttribute(type, typeof(JobQueueAttribute))
            : null;
        if (pinned is { Length: > 0 })
        {
            enqueued.Queue = pinned;
        }
        else if (declared is not null)
        {
            enqueued.Queue = declared.Queue;
        }
    }
}
