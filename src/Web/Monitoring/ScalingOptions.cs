using System.ComponentModel.DataAnnotations;

namespace Dashboard.Web.Monitoring;

/// <summary>
/// <c>Dashboard:Scaling</c>: how the worker-replica recommendation (Queues and Workers pages, and
/// <c>dashboard_recommended_worker_replicas</c> on /metrics) is worked out. A replica is one process with the worker
/// role; a <c>web,worker</c> process counts as one.
/// </summary>
public sealed class ScalingOptions : IValidatableObject
{
    public const string Section = "Dashboard:Scaling";

    [Range(0, 1000, ErrorMessage = "Dashboard:Scaling:MinReplicas must be between 0 and 1000.")]
    public int MinReplicas { get; set; } = 1;

    [Range(1, 1000, ErrorMessage = "Dashboard:Scaling:MaxReplicas must be between 1 and 1000.")]
    public int MaxReplicas { get; set; } = 10;

    /// <summary>How fast a backlog should be worked off, on top of keeping up with arrivals.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "Dashboard:Scaling:TargetDrainTime must be between 10 seconds and 1 day.")]
    public TimeSpan TargetDrainTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The load (demand over capacity) a recommendation aims for, leaving headroom for bursts.</summary>
    [Range(0.1, 1.0, ErrorMessage = "Dashboard:Scaling:TargetLoad must be between 0.1 and 1.")]
    public double TargetLoad { get; set; } = 0.7;

    /// <summary>Above this load the recommendation goes up at once.</summary>
    [Range(0.1, 2.0, ErrorMessage = "Dashboard:Scaling:HighWatermark must be between 0.1 and 2.")]
    public double HighWatermark { get; set; } = 0.85;

    /// <summary>Below this load for <see cref="ScaleDownAfter"/> the recommendation goes down.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Dashboard:Scaling:LowWatermark must be between 0 and 1.")]
    public double LowWatermark { get; set; } = 0.4;

    /// <summary>Scaling down waits this long below the low watermark, so a lull between bursts does not flap replicas.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Dashboard:Scaling:ScaleDownAfter must be between 0 and 1 day.")]
    public TimeSpan ScaleDownAfter { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxReplicas < MinReplicas)
        {
            yield return new ValidationResult("Dashboard:Scaling:MaxReplicas must be at least Dashboard:Scaling:MinReplicas.", [nameof(MaxReplicas)]);
        }

        if (!(LowWatermark < TargetLoad && TargetLoad < HighWatermark))
        {
            yield return new ValidationResult(
                "Dashboard:Scaling needs LowWatermark < TargetLoad < HighWatermark, or recommendations would flap.", [nameof(TargetLoad)]);
        }
    }
}
