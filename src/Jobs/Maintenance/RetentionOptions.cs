using System.ComponentModel.DataAnnotations;

namespace Dashboard.Jobs.Maintenance;

/// <summary><c>Dashboard:Retention</c>: how long the dashboard's own data is kept (Hangfire's jobs: <c>Dashboard:Hangfire:JobExpiration</c>).</summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string Section = "Dashboard:Retention";

    /// <summary>Per-minute execution metrics: detailed, so kept briefly; hourly roll-ups keep the history.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00", ErrorMessage = "Dashboard:Retention:MinuteMetrics must be between 1 hour and 90 days.")]
    public TimeSpan MinuteMetrics { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Hourly roll-ups: what the per-job-type metrics page shows beyond the last day or two.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Dashboard:Retention:HourMetrics must be between 1 and 3650 days.")]
    public TimeSpan HourMetrics { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How many recent hours each roll-up recomputes from the minute rows (late flushes land in them).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "2.00:00:00", ErrorMessage = "Dashboard:Retention:RollupWindow must be between 1 hour and 2 days.")]
    public TimeSpan RollupWindow { get; set; } = TimeSpan.FromHours(3);

    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Dashboard:Retention:WebhookAttempts must be between 1 and 3650 days.")]
    public TimeSpan WebhookAttempts { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Email delivery records; they are also the idempotency keys, so keep them longer than any retry or replay.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Dashboard:Retention:EmailDeliveries must be between 1 and 3650 days.")]
    public TimeSpan EmailDeliveries { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Heartbeat rows of servers that stopped or went silent.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "365.00:00:00", ErrorMessage = "Dashboard:Retention:DeadServers must be between 10 minutes and 365 days.")]
    public TimeSpan DeadServers { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A roll-up recomputes whole hours back to the start of the hour RollupWindow ago, which can lie up to an hour
        // before now - RollupWindow: the minutes of that hour must still be there.
        if (MinuteMetrics < RollupWindow + TimeSpan.FromHours(1))
        {
            yield return new ValidationResult(
                "Dashboard:Retention:MinuteMetrics must be at least Dashboard:Retention:RollupWindow plus one hour, or roll-ups would lose minutes.",
                [nameof(MinuteMetrics)]);
        }
    }
}
