using Dashboard.Jobs.Maintenance;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Web.Monitoring;

/// <summary>
/// Throughput from the execution metrics the servers flush (dashboard.job_metrics_minute / _hour), not from
/// Hangfire's per-job counters. The charts change once a minute at most, so they are re-read only every
/// <see cref="MonitoringOptions.ChartRefreshInterval"/> and reused by the snapshots in between.
/// </summary>
internal sealed class ThroughputQueries(IOptions<MonitoringOptions> monitoring, IOptions<RetentionOptions> retention)
{
    private readonly Lock _gate = new();
    private ThroughputHistory? _cached;
    private DateTimeOffset _cachedAt;

    public ThroughputHistory History(NpgsqlConnection connection, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_cached is not null && now - _cachedAt < monitoring.Value.ChartRefreshInterval && now >= _cachedAt)
            {
                return _cached;
            }
        }

        var minute = Truncate(now, TimeSpan.FromMinutes(1));
        var hour = Truncate(now, TimeSpan.FromHours(1));
        var day = Truncate(now, TimeSpan.FromDays(1));
        var history = new ThroughputHistory(
            Series(connection, now, "minute", minute.AddMinutes(-59), TimeSpan.FromMinutes(1), 60),
            Series(connection, now, "hour", hour.AddHours(-23), TimeSpan.FromHours(1), 24),
            Series(connection, now, "day", day.AddDays(-6), TimeSpan.FromDays(1), 7));
        lock (_gate)
        {
            _cached = history;
            _cachedAt = now;
        }

        return history;
    }

    /// <summary>Executions per minute by queue since <paramref name="from"/>, any outcome.</summary>
    public Dictionary<string, double> CompletedPerMinuteByQueue(NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset now)
    {
        using var command = new NpgsqlCommand(
            "SELECT queue, sum(executions)::bigint FROM dashboard.job_metrics_minute WHERE bucket_start >= @from GROUP BY queue",
            connection);
        command.Parameters.AddWithValue("from", Truncate(from, TimeSpan.FromMinutes(1)));
        var minutes = Math.Max(1, (now - from).TotalMinutes);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetInt64(1) / minutes;
        }

        return result;
    }

    /// <summary>
    /// One point per bucket, zeros where nothing ran. Hours the roll-up may still rewrite (its window) are summed
    /// from the minute rows, older ones from the hour rows, so no execution is counted twice or missed.
    /// </summary>
    private List<ThroughputPoint> Series(NpgsqlConnection connection, DateTimeOffset now, string unit, DateTimeOffset from, TimeSpan step, int count)
    {
        var horizon = Truncate(now, TimeSpan.FromHours(1)) - retention.Value.RollupWindow;
        using var command = new NpgsqlCommand($"""
            SELECT date_trunc('{unit}', b, 'UTC') AS bucket, sum(e - f)::bigint, sum(f)::bigint FROM (
                SELECT bucket_start AS b, executions AS e, failures AS f FROM dashboard.job_metrics_minute
                WHERE bucket_start >= greatest(@from, @horizon)
                UNION ALL
                SELECT bucket_start, executions, failures FROM dashboard.job_metrics_hour
                WHERE bucket_start >= @from AND bucket_start < @horizon
            ) x
            GROUP BY 1
            """, connection);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("horizon", horizon);
        var found = new Dictionary<DateTimeOffset, (long Succeeded, long Failed)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                found[reader.GetFieldValue<DateTimeOffset>(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var start = from + (step * i);
            var (succeeded, failed) = found.GetValueOrDefault(start);
            return new ThroughputPoint(start, succeeded, failed);
        })];
    }

    internal static DateTimeOffset Truncate(DateTimeOffset value, TimeSpan step)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % step.Ticks), TimeSpan.Zero);
    }
}
