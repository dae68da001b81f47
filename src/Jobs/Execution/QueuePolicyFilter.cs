using Dashboard.Jobs.Model;
using Hangfire.Common;
using Hangfire.States;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// Keeps a queue chosen at enqueue time (the HTTP API's <c>?queue=</c>) for every later enqueue of the job, retries
/// included. It runs after the class's <c>[Queue]</c> attribute, which would otherwise put it back.
/// </summary>
public sealed class QueuePolicyFilter : JobFilterAttribute, IElectStateFilter
{
    public QueuePolicyFilter()
    {
        Order = 1_000;
    }

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is EnqueuedState enqueued
            && context.GetJobParameter<string>(JobEnqueuer.QueueParameter, allowStale: true) is { Length: > 0 } pinned)
        {
            enqueued.Queue = pinned;
        }
    }
}
