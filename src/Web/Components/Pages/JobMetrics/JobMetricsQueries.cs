using System.Data;
using Dashboard.Data.Database;
using Dashboard.Jobs.Maintenance;
using Dashboard.Web.Components.Pages.Recurring;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Web.Components.Pages.JobMetrics;

/// <summary>Totals of one job type in one queue over a window, its summed duration histogram and its trend.</summary>
public sealed record MetricsSeries(
    string JobType,
    string Queue,
    long Executions,
    long Failures,
    double DurationSumMs,
    double DurationMaxMs,
    long[] Histogram,
    long[] Trend);

public sealed record JobMetricsResult(MetricsWindow Window, MetricsPlan Plan, IReadOnlyList<MetricsSeries> Series);

public interface IJobMetricsQueries
{
    /// <summary>The metrics of a window; read at most once every few seconds per window for the whole process.</summary>
    Task<JobMetricsResult> GetAsync(MetricsWindow window);
}

/// <summary>
/// Reads the execution metrics the servers flush into <c>dashboard.job_metrics_minute</c> and the roll-ups in
/// <c>job_metrics_hour</c> (see <see cref="MetricsPlan"/> for which rows answer which window). Both statements run
/// in one repeatable-read snapshot, so the totals and the histograms describe the same rows.
/// </summary>
internal sealed class JobMetricsQueries : IJobMetricsQueries
{
    /// <summary>Servers flush every few seconds; reading more often than this shows nothing new.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private const string Source = """
        WITH src AS (
            SELECT bucket_start, job_type, queue, executions, failures, duration_sum_ms, duration_max_ms, histogram
            FROM dashboard.job_metrics_minute
            WHERE bucket_start >= @cutoff
            UNION ALL
            SELECT bucket_start, job_type, queue, executions, failures, duration_sum_ms, duration_max_ms, histogram
            FROM dashboard.job_metrics_hour
            WHERE bucket_start >= @from AND bucket_start < @cutoff
        )
        """;

    private readonly PostgresEndpoint _endpoint;
    private readonly IOptions<RetentionOptions> _retention;
    private readonly TimeProvider _time;
    private readonly SharedReadCache<MetricsWindow, JobMetricsResult> _cache;

    public JobMetricsQueries(PostgresEndpoint endpoint, IOptions<RetentionOptions> retention, TimeProvider time)
    {
        _endpoint = endpoint;
        _retention = retention;
        _time = time;
        _cache = new SharedReadCache<MetricsWindow, JobMetricsResult>(ReadAsync, CacheLifetime, time);
    }

    public Task<JobMetricsResult> GetAsync(MetricsWindow window) => _cache.GetAsync(window);

    internal async Task<JobMetricsResult> ReadAsync(MetricsWindow window)
    {
        var plan = MetricsPlan.For(window, _time.GetUtcNow(), _retention.Value);
        var series = new Dictionary<(string Type, string Queue), Accumulator>();
        await using var connection = new NpgsqlConnection(_endpoint.ReadConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);

        await using (var totals = Command(connection, transaction, plan, Source + """
            SELECT job_type, queue,
                   least(greatest(floor(extract(epoch FROM bucket_start - @from) / @step)::int, 0), @last_slot),
                   sum(executions)::bigint, sum(failures)::bigint, sum(duration_sum_ms)::float8, max(duration_max_ms)::float8
            FROM src
            GROUP BY 1, 2, 3
            """))
        await using (var reader = await totals.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var into = Get(series, reader.GetString(0), reader.GetString(1), plan.Slots);
                into.Trend[reader.GetInt32(2)] += reader.GetInt64(3);
                into.Executions += reader.GetInt64(3);
                into.Failures += reader.GetInt64(4);
                into.DurationSumMs += reader.GetDouble(5);
                into.DurationMaxMs = Math.Max(into.DurationMaxMs, reader.GetDouble(6));
            }
        }

        await using (var buckets = Command(connection, transaction, plan, Source + """
            SELECT job_type, queue, u.i::int, sum(u.v)::bigint
            FROM src, unnest(src.histogram) WITH ORDINALITY AS u(v, i)
            GROUP BY 1, 2, 3
            """))
        await using (var reader = await buckets.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var into = Get(series, reader.GetString(0), reader.GetString(1), plan.Slots);
                var index = reader.GetInt32(2) - 1;
                if (index >= into.Histogram.Length)
                {
                    Array.Resize(ref into.Histogram, index + 1);
                }

                into.Histogram[index] += reader.GetInt64(3);
            }
        }

        await transaction.CommitAsync();
        var result = series
            .Select(s => new MetricsSeries(s.Key.Type, s.Key.Queue, s.Value.Executions, s.Value.Failures, s.Value.DurationSumMs, s.Value.DurationMaxMs, s.Value.Histogram, s.Value.Trend))
            .OrderBy(s => s.JobType, StringComparer.Ordinal).ThenBy(s => s.Queue, StringComparer.Ordinal)
            .ToList();
        return new JobMetricsResult(window, plan, result);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, MetricsPlan plan, string sql)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("from", plan.From);
        command.Parameters.AddWithValue("cutoff", plan.Cutoff);
        command.Parameters.AddWithValue("step", plan.Step.TotalSeconds);
        command.Parameters.AddWithValue("last_slot", plan.Slots - 1);
        return command;
    }

    private static Accumulator Get(Dictionary<(string, string), Accumulator> series, string type, string queue, int slots)
    {
        if (!series.TryGetValue((type, queue), out var accumulator))
        {
            accumulator = new Accumulator(slots);
            series[(type, queue)] = accumulator;
        }

        return accumulator;
    }

    private sealed class Accumulator(int slots)
    {
        public long[] Trend = new long[slots];
        public long[] Histogram = [];
        public long Executions;
        public long Failures;
        public double DurationSumMs;
        public double DurationMaxMs;
    }
}
