using System.ComponentModel.DataAnnotations;

namespace Dashboard.Jobs.Metrics;

/// <summary><c>Dashboard:Metrics</c>: how often a worker writes its heartbeat and execution figures.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Dashboard:Metrics";

    /// <summary>
    /// One batch per interval per process carries every job that finished in it, plus the heartbeat: the database
    /// cost does not grow with throughput.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00", ErrorMessage = "Dashboard:Metrics:FlushInterval must be between 0.5 seconds and 5 minutes.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
