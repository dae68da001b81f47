namespace Dashboard.Jobs.Model;

/// <summary>
/// The queue a job class runs in (critical, default, low, …). Used instead of Hangfire's <c>[Queue]</c>, whose filter
/// always runs last and would overwrite a queue chosen at enqueue time (the HTTP API's <c>?queue=</c>);
/// <see cref="Execution.QueuePolicyFilter"/> applies this one and lets the enqueue-time choice win.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JobQueueAttribute(string queue) : Attribute
{
    public string Queue { get; } = queue;
}
