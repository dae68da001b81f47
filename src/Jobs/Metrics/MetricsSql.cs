using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Jobs.Metrics;

internal static class MetricsSql
{
    /// <summary>
    /// Adds one sample to its minute row: several processes flush into the same row, so every column accumulates
    /// (the histogram element by element) instead of being overwritten.
    /// </summary>
    public static NpgsqlBatchCommand Upsert(MetricSample sample)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO dashboard.job_metrics_minute
                (bucket_start, job_type, queue, executions, failures, duration_sum_ms, duration_max_ms, histogram)
            VALUES (@bucket, @type, @queue, @executions, @failures, @sum, @max, @histogram)
            ON CONFLICT (bucket_start, job_type, queue) DO UPDATE SET
                executions = job_metrics_minute.executions + excluded.executions,
                failures = job_metrics_minute.failures + excluded.failures,
                duration_sum_ms = job_metrics_minute.duration_sum_ms + excluded.duration_sum_ms,
                duration_max_ms = GREATEST(job_metrics_minute.duration_max_ms, excluded.duration_max_ms),
                histogram = ARRAY(
                    SELECT coalesce(a, 0) + coalesce(b, 0)
                    FROM unnest(job_metrics_minute.histogram, excluded.histogram) WITH ORDINALITY AS u(a, b, i)
                    ORDER BY i)
            """);
        command.Parameters.AddWithValue("bucket", sample.Key.Minute);
        command.Parameters.AddWithValue("type", sample.Key.JobType);
        command.Parameters.AddWithValue("queue", sample.Key.Queue);
        command.Parameters.AddWithValue("executions", sample.Executions);
        command.Parameters.AddWithValue("failures", sample.Failures);
        command.Parameters.AddWithValue("sum", sample.DurationSumMs);
        command.Parameters.AddWithValue("max", sample.DurationMaxMs);
        command.Parameters.Add(new NpgsqlParameter("histogram", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = sample.Histogram });
        return command;
    }
}
