using System.ComponentModel.DataAnnotations;

namespace Dashboard.Web.Monitoring;

/// <summary>
/// <c>Dashboard:Monitoring</c>: when the live pages call a server late or stale, and when they raise an attention
/// item. The defaults follow the 5 s heartbeat of <c>Dashboard:Hangfire:HeartbeatInterval</c>.
/// </summary>
public sealed class MonitoringOptions : IValidatableObject
{
    public const string Section = "Dashboard:Monitoring";

    /// <summary>Three missed heartbeats: the server is busy or the database is slow, but it is probably alive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Dashboard:Monitoring:HeartbeatLateAfter must be between 1 second and 1 hour.")]
    public TimeSpan HeartbeatLateAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// No heartbeat for this long: the process is frozen, cut off or dead. Its running jobs come back only after the
    /// invisibility timeout, or when an operator requeues them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "1.00:00:00", ErrorMessage = "Dashboard:Monitoring:HeartbeatStaleAfter must be between 2 seconds and 1 day.")]
    public TimeSpan HeartbeatStaleAfter { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How long servers that stopped or vanished stay listed on the Workers page.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Dashboard:Monitoring:ShowGoneServersFor must be between 1 minute and 7 days.")]
    public TimeSpan ShowGoneServersFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the throughput charts (per minute, hour, day) are re-read. They change once a minute at most;
    /// counts, queues and servers refresh every <c>Dashboard:Ui:RefreshInterval</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Dashboard:Monitoring:ChartRefreshInterval must be between 1 second and 10 minutes.")]
    public TimeSpan ChartRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The window over which queue trends, arrival rates and drain times are judged.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00", ErrorMessage = "Dashboard:Monitoring:TrendWindow must be between 1 minute and 1 hour.")]
    public TimeSpan TrendWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A queue whose oldest waiting job is older than this is flagged, growing or not.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Dashboard:Monitoring:QueueLatencyAlert must be between 1 second and 1 day.")]
    public TimeSpan QueueLatencyAlert { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Failure rate (percent of executions in the last 15 minutes) that raises an attention item when it is also
    /// at least twice the rate of the 45 minutes before.
    /// </summary>
    [Range(0.1, 100, ErrorMessage = "Dashboard:Monitoring:FailureRateAlertPercent must be between 0.1 and 100.")]
    public double FailureRateAlertPercent { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatStaleAfter <= HeartbeatLateAfter)
        {
            yield return new ValidationResult(
                "Dashboard:Monitoring:HeartbeatStaleAfter must be longer than Dashboard:Monitoring:HeartbeatLateAfter.",
                [nameof(HeartbeatStaleAfter)]);
        }
    }
}
