using System.ComponentModel.DataAnnotations;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// <c>Dashboard:Hangfire</c>: storage and server settings. The defaults are the tuned values of DESIGN.md §5, not
/// Hangfire.PostgreSql's, which favour old servers over throughput and fast recovery.
/// </summary>
public sealed class HangfireOptions : IValidatableObject
{
    public const string Section = "Dashboard:Hangfire";

    /// <summary>PostgreSQL schema of Hangfire's tables, kept apart from the dashboard's own.</summary>
    [Required(ErrorMessage = "Dashboard:Hangfire:SchemaName is required.")]
    [RegularExpression("^[a-z_][a-z0-9_]*$", ErrorMessage = "Dashboard:Hangfire:SchemaName must be a lower-case identifier.")]
    public string SchemaName { get; set; } = "hangfire";

    /// <summary>Concurrent jobs per worker process. I/O-bound jobs want more than cores.</summary>
    [Range(1, 500, ErrorMessage = "Dashboard:Hangfire:WorkerCount must be between 1 and 500.")]
    public int WorkerCount { get; set; } = 20;

    public static readonly IReadOnlyList<string> DefaultQueues = ["critical", "default", "low"];

    /// <summary>
    /// Queues in priority order: a worker always takes from the first non-empty one. Empty means
    /// <see cref="DefaultQueues"/> (a list default would be appended to, not replaced, by configuration binding).
    /// </summary>
    public List<string> Queues { get; set; } = [];

    public IReadOnlyList<string> EffectiveQueues => Queues.Count == 0 ? DefaultQueues : Queues;

    /// <summary>
    /// With it, a running job's fetch is refreshed while it runs, so <see cref="InvisibilityTimeout"/> can be short;
    /// without it a job whose process was killed stays invisible for the whole timeout (30 minutes by default).
    /// </summary>
    public bool UseSlidingInvisibilityTimeout { get; set; } = true;

    /// <summary>How long a fetched job whose worker stopped refreshing it stays invisible before another worker takes it.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "Dashboard:Hangfire:InvisibilityTimeout must be between 10 seconds and 1 day.")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// LISTEN/NOTIFY wakes idle workers in every replica as soon as a job is enqueued; without it a job waits for
    /// the next <see cref="QueuePollInterval"/>.
    /// </summary>
    public bool EnableLongPolling { get; set; } = true;

    /// <summary>Fallback poll when no notification arrives; long polling makes a short one unnecessary.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = "Dashboard:Hangfire:QueuePollInterval must be between 50 ms and 10 minutes.")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often scheduled jobs and retries are moved to their queue. Hangfire's 15 s default would swallow the
    /// 2, 4, 8 s retry backoff; one small indexed query a second per server is cheap.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Dashboard:Hangfire:SchedulePollingInterval must be between 100 ms and 10 minutes.")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each server writes its heartbeat; the Workers page judges liveness from it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Dashboard:Hangfire:HeartbeatInterval must be between 1 second and 10 minutes.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A server whose heartbeat is older than this is removed from storage by the other servers.</summary>
    [Range(typeof(TimeSpan), "00:00:15", "01:00:00", ErrorMessage = "Dashboard:Hangfire:ServerTimeout must be between 15 seconds and 1 hour.")]
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// On SIGTERM, running jobs get this long to finish before their cancellation token fires and Hangfire puts
    /// them back in their queue. Keep docker-compose's stop_grace_period above it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Dashboard:Hangfire:ShutdownTimeout must be between 0 and 1 hour.")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long finished (succeeded, deleted) jobs stay in storage.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Dashboard:Hangfire:JobExpiration must be between 1 minute and 365 days.")]
    public TimeSpan JobExpiration { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var queue in Queues)
        {
            // Hangfire accepts only lower-case letters, digits, underscores and dashes in queue names.
            if (string.IsNullOrEmpty(queue) || !queue.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            {
                yield return new ValidationResult(
                    $"Dashboard:Hangfire:Queues has an invalid queue name '{queue}': use lower-case letters, digits, '_' and '-'.", [nameof(Queues)]);
            }
        }

        if (Queues.Distinct(StringComparer.Ordinal).Count() != Queues.Count)
        {
            yield return new ValidationResult("Dashboard:Hangfire:Queues lists a queue twice.", [nameof(Queues)]);
        }
        else if (!Queues.SequenceEqual(Queues.Order(StringComparer.Ordinal)))
        {
            // Hangfire.PostgreSql fetches from the queues a server listens to in alphabetical order, whatever order
            // they are listed in. Requiring the list to be sorted makes the written priority the real one.
            yield return new ValidationResult(
                "Dashboard:Hangfire:Queues must be listed in alphabetical order, because Hangfire.PostgreSql takes queues " +
                "in alphabetical order: name them so that order is their priority (for example 1-urgent, 2-normal, 3-bulk).",
                [nameof(Queues)]);
        }
    }
}
