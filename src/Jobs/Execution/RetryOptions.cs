using System.ComponentModel.DataAnnotations;

namespace Dashboard.Jobs.Execution;

/// <summary><c>Dashboard:Retry</c>: how failed jobs are retried before they land in Failed (the dead letters).</summary>
public sealed class RetryOptions
{
    public const string Section = "Dashboard:Retry";

    /// <summary>Runs in all (first run plus retries) for a job class without <c>[Attempts]</c>.</summary>
    [Range(1, 100, ErrorMessage = "Dashboard:Retry:DefaultAttempts must be between 1 and 100.")]
    public int DefaultAttempts { get; set; } = 5;

    /// <summary>Backoff is 2^attempt seconds, never more than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Dashboard:Retry:MaxDelay must be between 1 second and 1 day.")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each delay is scaled by a random factor in [1 - Jitter, 1 + Jitter], so jobs that failed together do not retry
    /// together. Below 1/3 the delays still grow from one attempt to the next.
    /// </summary>
    [Range(0.0, 0.33, ErrorMessage = "Dashboard:Retry:Jitter must be between 0 and 0.33.")]
    public double Jitter { get; set; } = 0.1;

    /// <summary>Per-job overrides of the attempts, by job name: <c>Dashboard:Retry:Attempts:send-email = 8</c>.</summary>
    public Dictionary<string, int> Attempts { get; set; } = new(StringComparer.Ordinal);
}
