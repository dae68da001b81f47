using Dashboard.Web.Components.Shared;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Monitoring;

/// <summary>The worker-replica recommendation and why.</summary>
public sealed record ScalingAdvice(int CurrentReplicas, int RecommendedReplicas, string Reason)
{
    /// <summary>Demand over current capacity (1 = exactly keeping up); null when capacity could not be measured.</summary>
    public double? Load { get; init; }
}

/// <summary>
/// Recommends how many worker replicas to run from what the snapshot measures: the backlog (jobs waiting), the
/// arrival rate, and the throughput one replica achieves at full load (completions per minute divided by replicas
/// and by how busy their workers were). Demand = arrivals + backlog / target drain time. The recommendation moves up
/// at once when load passes the high watermark, down only after load stays under the low watermark for a while,
/// and otherwise holds: between the marks the current count is right.
/// </summary>
internal sealed class ScalingAdvisor(IOptions<ScalingOptions> options)
{
    private const double SmoothingWeight = 0.3;
    private double? _utilization;
    private DateTimeOffset? _lowSince;

    public ScalingAdvice Advise(OverviewSnapshot snapshot)
    {
        var o = options.Value;
        var live = snapshot.Servers.Where(s => s.IsAlive).ToList();
        var current = live.Count;
        var workers = live.Sum(s => s.WorkerCount);
        var waiting = snapshot.Queues.Sum(q => q.Length);
        var completed = snapshot.Queues.Sum(q => q.CompletedPerMinute);
        var arrival = snapshot.Queues.Sum(q => q.ArrivalPerMinute ?? q.CompletedPerMinute);
        // Busy workers jump from snapshot to snapshot; a smoothed figure is a fairer measure of utilisation.
        var busyNow = workers == 0 ? 0 : Math.Min(1.0, (double)snapshot.Counts.Processing / workers);
        _utilization = _utilization is { } previous ? previous + (SmoothingWeight * (busyNow - previous)) : busyNow;

        if (current == 0)
        {
            _lowSince = null;
            var wanted = Clamp(waiting > 0 ? Math.Max(1, o.MinReplicas) : o.MinReplicas);
            return new ScalingAdvice(0, wanted, waiting > 0
                ? $"No live worker while {waiting:N0} job(s) wait: start at least {wanted}."
                : $"No live worker and nothing waiting: the minimum is {o.MinReplicas}.");
        }

        var demand = arrival + (waiting / o.TargetDrainTime.TotalMinutes);
        var utilization = _utilization.Value;
        if (completed <= 0 || utilization < 0.05)
        {
            return Unmeasured(snapshot.TakenAt, current, waiting, utilization);
        }

        var perReplica = completed / current / Math.Max(utilization, 0.05);
        var load = demand / (perReplica * current);
        var sized = (int)Math.Ceiling(demand / (perReplica * o.TargetLoad));
        var basis = string.Create(CultureInfo.InvariantCulture,
            $"{waiting:N0} waiting, ~{arrival:0.#}/min arriving; one replica completes ~{perReplica:0.#}/min at full load, so demand " +
            $"(arrivals + backlog over {Durations.Format(o.TargetDrainTime)}) is {load * 100:0}% of the {current} running.");

        if (load > o.HighWatermark)
        {
            _lowSince = null;
            var up = Clamp(Math.Max(current + 1, sized));
            return new ScalingAdvice(current, up, $"{basis} Above the {o.HighWatermark * 100:0}% high watermark: scale to {up}.") { Load = load };
        }

        if (load < o.LowWatermark && current > o.MinReplicas)
        {
            _lowSince ??= snapshot.TakenAt;
            var down = Clamp(Math.Min(current - 1, Math.Max(sized, 1)));
            if (snapshot.TakenAt - _lowSince.Value >= o.ScaleDownAfter)
            {
                return new ScalingAdvice(current, down, $"{basis} Under the {o.LowWatermark * 100:0}% low watermark for {Durations.Format(snapshot.TakenAt - _lowSince.Value)}: scale to {down}.") { Load = load };
            }

            return new ScalingAdvice(current, Clamp(current), $"{basis} Under the low watermark since {Durations.Format(snapshot.TakenAt - _lowSince.Value)} ago; scaling down after {Durations.Format(o.ScaleDownAfter)}.") { Load = load };
        }

        _lowSince = null;
        return new ScalingAdvice(current, Clamp(current), $"{basis} Between the watermarks: keep {Clamp(current)}.") { Load = load };
    }

    private ScalingAdvice Unmeasured(DateTimeOffset now, int current, long waiting, double utilization)
    {
        var o = options.Value;
        if (waiting > 0 && utilization >= 0.95)
        {
            // Every worker is busy and nothing finished in the window (long jobs): capacity cannot be measured, but
            // the backlog is real.
            _lowSince = null;
            var up = Clamp(current + 1);
            return new ScalingAdvice(current, up, $"All workers are busy, {waiting:N0} job(s) wait and none finished in the window: scale to {up}.");
        }

        if (waiting == 0 && utilization < 0.05 && current > o.MinReplicas)
        {
            _lowSince ??= now;
            if (now - _lowSince.Value >= o.ScaleDownAfter)
            {
                return new ScalingAdvice(current, Clamp(o.MinReplicas), $"Idle for {Durations.Format(now - _lowSince.Value)}: scale to the minimum, {Clamp(o.MinReplicas)}.");
            }

            return new ScalingAdvice(current, Clamp(current), $"Idle since {Durations.Format(now - _lowSince.Value)} ago; scaling down after {Durations.Format(o.ScaleDownAfter)}.");
        }

        _lowSince = null;
        return new ScalingAdvice(current, Clamp(current), $"Too little finished in the window to measure capacity: keep {Clamp(current)}.");
    }

    private int Clamp(int replicas) => Math.Clamp(replicas, options.Value.MinReplicas, options.Value.MaxReplicas);
}
