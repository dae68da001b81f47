namespace Dashboard.Jobs.Model;

/// <summary>What is known about one job class: its short name, argument type, queue and attempts.</summary>
/// <param name="Name">Kebab-case class name without "Job": <c>send-email</c>. Used by the HTTP API and settings.</param>
/// <param name="Queue">From the class's <see cref="JobQueueAttribute"/>; <c>default</c> without one.</param>
/// <param name="Attempts">From <see cref="AttemptsAttribute"/>; null means the configured default.</param>
public sealed record JobDescriptor(string Name, Type JobType, Type ArgsType, string Queue, int? Attempts)
{
    public System.Reflection.MethodInfo Method =>
        JobType.GetMethod(nameof(IJob<object>.RunAsync), [ArgsType, typeof(CancellationToken)])
        ?? throw new InvalidOperationException($"{JobType.Name} has no RunAsync({ArgsType.Name}, CancellationToken).");
}
