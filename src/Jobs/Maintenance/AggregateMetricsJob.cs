using Dashboard.Data.Database;
using Dashboard.Jobs.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Jobs.Maintenance;

/// <summary>No arguments; the recurring registrar enqueues it with an empty record.</summary>
public sealed record AggregateMetricsArgs;

/// <summary>
/// Rolls the per-minute execution metrics up into hourly rows. Each run recomputes the last few whole hours from
/// the minute rows and replaces them, so running it twice, late or concurrently gives the same result.
/// </summary>
[JobQueue("low")]
[Attempts(3)]
public sealed partial class AggregateMetricsJob(
    PostgresEndpoint endpoint,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<AggregateMetricsJob> logger) : IJob<AggregateMetricsArgs>
{
    public async Task RunAsync(AggregateMetricsArgs args, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero) - retention.Value.RollupWindow;

        await using var connection = new NpgsqlConnection(endpoint.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            WITH totals AS (
                SELECT date_trunc('hour', bucket_start, 'UTC') AS hour, job_type, queue,
                       sum(executions) AS executions, sum(failures) AS failures,
                       sum(duration_sum_ms) AS duration_sum_ms, max(duration_max_ms) AS duration_max_ms
                FROM dashboard.job_metrics_minute
                WHERE bucket_start >= @from
                GROUP BY 1, 2, 3
            ), buckets AS (
                SELECT date_trunc('hour', bucket_start, 'UTC') AS hour, job_type, queue, u.i, sum(u.v) AS v
                FROM dashboard.job_metrics_minute, unnest(histogram) WITH ORDINALITY AS u(v, i)
                WHERE bucket_start >= @from
                GROUP BY 1, 2, 3, 4
            ), histograms AS (
                SELECT hour, job_type, queue, array_agg(v ORDER BY i)::bigint[] AS histogram
                FROM buckets
                GROUP BY 1, 2, 3
            )
            INSERT INTO dashboard.job_metrics_hour
                (bucket_start, job_type, queue, executions, failures, duration_sum_ms, duration_max_ms, histogram)
            SELECT t.hour, t.job_type, t.queue, t.executions, t.failures, t.duration_sum_ms, t.duration_max_ms,
                   coalesce(h.histogram, '{}')
            FROM totals t LEFT JOIN histograms h USING (hour, job_type, queue)
            ON CONFLICT (bucket_start, job_type, queue) DO UPDATE SET
                executions = excluded.executions, failures = excluded.failures,
                duration_sum_ms = excluded.duration_sum_ms, duration_max_ms = excluded.duration_max_ms,
                histogram = excluded.histogram
            """, connection);
        command.Parameters.AddWithValue("from", from);
        var rows = await command.ExecuteNonQueryAsync(cancellationToken);
        LogRolledUp(logger, rows, from);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolled up {Rows} hourly metric row(s) since {From}")]
    private static partial void LogRolledUp(ILogger logger, int rows, DateTimeOffset from);
}
