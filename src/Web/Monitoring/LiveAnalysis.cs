using Dashboard.Web.Components.Shared;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Monitoring;

/// <summary>
/// What one snapshot cannot tell: how queues move over time (from this process's own depth samples), how long
/// they take to drain, and what needs an operator's attention. Runs on the snapshot service's loop only.
/// </summary>
internal sealed class LiveAnalysis(IOptions<MonitoringOptions> options, ScalingAdvisor scaling)
{
    private static readonly TimeSpan SampleSpacing = TimeSpan.FromSeconds(10);
    private readonly Queue<(DateTimeOffset At, Dictionary<string, long> Depths)> _samples = new();

    public OverviewSnapshot Analyse(OverviewSnapshot snapshot)
    {
        Record(snapshot);
        var queues = snapshot.Queues.Select(q => WithTrend(q, snapshot.TakenAt)).ToList();
        var analysed = snapshot with { Queues = queues };
        return analysed with { Attention = Attention(analysed), Scaling = scaling.Advise(analysed) };
    }

    private void Record(OverviewSnapshot snapshot)
    {
        if (_samples.Count > 0 && snapshot.TakenAt - _samples.Last().At < SampleSpacing)
        {
            return;
        }

        _samples.Enqueue((snapshot.TakenAt, snapshot.Queues.ToDictionary(q => q.Name, q => q.Length, StringComparer.Ordinal)));
        while (_samples.Count > 0 && snapshot.TakenAt - _samples.Peek().At > options.Value.TrendWindow + SampleSpacing)
        {
            _samples.Dequeue();
        }
    }

    private QueueSummary WithTrend(QueueSummary queue, DateTimeOffset now)
    {
        var trend = _samples.Select(s => s.Depths.GetValueOrDefault(queue.Name)).ToList();
        if (_samples.Last().At != now)
        {
            trend.Add(queue.Length);
        }

        var (oldestAt, oldestDepth) = (_samples.Peek().At, trend[0]);
        var minutes = (now - oldestAt).TotalMinutes;
        if (minutes < 0.5)
        {
            // Too little history for a rate; the next snapshots fill it in.
            return queue with { DepthTrend = trend, DrainEstimate = DrainAt(queue.Length, queue.CompletedPerMinute) };
        }

        var change = queue.Length - oldestDepth;
        var arrival = Math.Max(0, queue.CompletedPerMinute + (change / minutes));
        var net = queue.CompletedPerMinute - arrival;
        // A change smaller than a tenth of the depth (and than 5 jobs) is noise, not a trend.
        var threshold = Math.Max(5, oldestDepth / 10.0);
        var direction = change > threshold ? QueueTrend.Growing : change < -threshold ? QueueTrend.Shrinking : QueueTrend.Steady;
        return queue with
        {
            DepthTrend = trend,
            ArrivalPerMinute = arrival,
            Trend = direction,
            DrainEstimate = DrainAt(queue.Length, net),
        };
    }

    private static TimeSpan? DrainAt(long depth, double netPerMinute) =>
        depth == 0 ? TimeSpan.Zero
        : netPerMinute > 0 ? TimeSpan.FromMinutes(Math.Min(depth / netPerMinute, TimeSpan.FromDays(365).TotalMinutes))
        : null;

    private List<AttentionItem> Attention(OverviewSnapshot snapshot)
    {
        var items = new List<AttentionItem>();
        var now = snapshot.TakenAt;
        var alive = snapshot.Servers.Where(s => s.IsAlive).ToList();
        if (alive.Count == 0 && snapshot.Counts.Enqueued > 0)
        {
            items.Add(new(AttentionLevel.Error, $"No live server: {snapshot.Counts.Enqueued:N0} enqueued jobs are waiting. Start a process with the worker role.", "/workers"));
        }

        foreach (var server in snapshot.Servers.Where(s => s.Health == ServerHealth.Stale))
        {
            var held = snapshot.Running.Count(r => r.ServerId == server.Name);
            var age = server.Heartbeat is { } beat ? Durations.Format(now - beat) : "ever";
            items.Add(new(
                AttentionLevel.Warning,
                held == 0
                    ? $"Server {server.Name} is stale: no heartbeat for {age}."
                    : $"Server {server.Name} is stale: no heartbeat for {age}; it holds {held} running job(s) that can be requeued.",
                "/workers"));
        }

        foreach (var server in snapshot.Servers.Where(s => s.Health == ServerHealth.Late))
        {
            items.Add(new(AttentionLevel.Info, $"Server {server.Name} is late: its last heartbeat was {Durations.Format(now - server.Heartbeat!.Value)} ago.", "/workers"));
        }

        foreach (var queue in snapshot.Queues)
        {
            if (queue.Length > 0 && !queue.HasListeners && alive.Count > 0)
            {
                items.Add(new(AttentionLevel.Error, $"Queue {queue.Name} has {queue.Length:N0} waiting job(s) but no live server listens to it.", "/queues"));
            }
            else if (queue.Trend == QueueTrend.Growing && queue.DepthTrend.Count > 1)
            {
                items.Add(new(AttentionLevel.Warning, $"Queue {queue.Name} is growing: {queue.DepthTrend[0]:N0} → {queue.Length:N0} waiting in {Durations.Format(options.Value.TrendWindow)}.", "/queues"));
            }
            else if (queue.OldestEnqueuedAt is { } oldest && now - oldest > options.Value.QueueLatencyAlert)
            {
                items.Add(new(AttentionLevel.Warning, $"Queue {queue.Name}: the oldest job has waited {Durations.Format(now - oldest)}.", "/queues"));
            }
        }

        if (RisingFailureRate(snapshot.Throughput.LastHourByMinute) is { } rate)
        {
            items.Add(new(AttentionLevel.Warning, $"Failure rate is rising: {rate:0.#} % of executions failed in the last 15 minutes.", "/failed"));
        }

        if (snapshot.Counts.Failed > 0)
        {
            items.Add(new(AttentionLevel.Info, $"{snapshot.Counts.Failed:N0} job(s) in Failed, waiting for an operator.", "/failed"));
        }

        return [.. items.OrderBy(i => i.Level)];
    }

    /// <summary>The last 15 minutes' failure rate when it is over the alert level and at least double the 45 minutes before.</summary>
    private double? RisingFailureRate(IReadOnlyList<ThroughputPoint> lastHour)
    {
        if (lastHour.Count < 60)
        {
            return null;
        }

        var recent = lastHour.Skip(45).ToList();
        var earlier = lastHour.Take(45).ToList();
        var recentTotal = recent.Sum(p => p.Total);
        var recentFailed = recent.Sum(p => p.Failed);
        if (recentTotal == 0 || recentFailed < 5)
        {
            return null;
        }

        var recentRate = 100.0 * recentFailed / recentTotal;
        var earlierTotal = earlier.Sum(p => p.Total);
        var earlierRate = earlierTotal == 0 ? 0 : 100.0 * earlier.Sum(p => p.Failed) / earlierTotal;
        return recentRate >= options.Value.FailureRateAlertPercent && recentRate >= 2 * earlierRate ? recentRate : null;
    }
}
