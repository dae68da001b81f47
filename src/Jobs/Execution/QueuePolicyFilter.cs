using Dashboard.Jobs.Model;
using Hangfire.Common;
using Hangfire.States;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// Keeps a queue chosen at enqueue time (the HTTP API's <c>?queue=</c>) for every later enqueue of the job, retries
/// included. It must run after the class's <c>[Queue]</c> attribute, which would otherwise put it back.
/// </summary>
/// <remarks>
/// Hangfire runs election filters by <c>Order</c>, then by scope (global, type, method), and <c>[Queue]</c> has
/// <c>Order = int.MaxValue</c>: a global filter can never run after it. So this filter is its own provider, at the
/// highest order and a scope past <see cref="JobFilterScope.Method"/>. Register it with <see cref="Register"/>.
/// </remarks>
public sealed class QueuePolicyFilter : JobFilterAttribute, IElectStateFilter, IJobFilterProvider
{
    private const JobFilterScope AfterMethodScope = (JobFilterScope)int.MaxValue;

    /// <summary>Adds the filter to Hangfire's process-wide providers once, however many hosts the process builds (tests build several).</summary>
    public static void Register(JobFilterProviderCollection providers)
    {
        if (!providers.OfType<QueuePolicyFilter>().Any())
        {
            providers.Add(new QueuePolicyFilter());
        }
    }

    public IEnumerable<JobFilter> GetFilters(Job job) => [new JobFilter(this, AfterMethodScope, int.MaxValue)];

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is EnqueuedState enqueued
            && context.GetJobParameter<string>(JobEnqueuer.QueueParameter, allowStale: true) is { Length: > 0 } pinned)
        {
            enqueued.Queue = pinned;
        }
    }
}
