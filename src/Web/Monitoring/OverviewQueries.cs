using System.Text.Json;
using Dashboard.Jobs.Execution;
using Dashboard.Data.Hangfire;
using Dashboard.Jobs.Hosting;
using Dashboard.Web.Components.Pages.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Web.Monitoring;

/// <summary>
/// The live figures, read straight from Hangfire's tables and the dashboard's heartbeats in one round trip.
/// Hangfire's monitoring API counts jobs with <c>GROUP BY statename</c> over the whole job table; here only the
/// small states are counted (through the state index), finished jobs come from Hangfire's counters, and everything
/// else is bounded by the number of servers, queues and running jobs: the cost does not grow with the job table.
/// </summary>
internal sealed class OverviewQueries(
    HangfireDatabase database,
    ThroughputQueries throughput,
    IOptions<MonitoringOptions> options,
    TimeProvider time) : IOverviewQueries
{
    // Failed is not counted from the job table: the failure groups the triggers keep hold its count
    // (FailureSignatures.Groups), a few rows however many jobs failed.
    private static readonly string[] CountedStates = ["Enqueued", "Scheduled", "Processing", "Awaiting"];
    private static readonly string[] CounterKeys = ["stats:succeeded", "stats:deleted"];

    public OverviewSnapshot Load()
    {
        var now = time.GetUtcNow();
        var s = database.Schema;
        using var connection = database.OpenRead();
        using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new($"""
                    SELECT statename, count(*) FROM {s}.job WHERE statename = ANY(@states) GROUP BY statename
                    UNION ALL SELECT 'Failed', coalesce(sum(failed), 0)::bigint FROM {FailureSignatures.Groups(s)}
                    """)
                {
                    Parameters = { new("states", CountedStates) },
                },
                new($"""
                    SELECT key, sum(value)::bigint FROM (
                        SELECT key, value FROM {s}.counter WHERE key = ANY(@keys)
                        UNION ALL SELECT key, value FROM {s}.aggregatedcounter WHERE key = ANY(@keys)) c
                    GROUP BY key
                    """)
                {
                    Parameters = { new("keys", CounterKeys) },
                },
                new($"SELECT count(*) FROM {s}.set WHERE key = 'recurring-jobs'"),
                // Retries are scheduled jobs that our retry filter rescheduled (it counts them in RetryCount).
                new($"""
                    SELECT count(*) FROM {s}.job j
                    WHERE j.statename = 'Scheduled'
                      AND EXISTS (SELECT 1 FROM {s}.jobparameter p WHERE p.jobid = j.id AND p.name = @retryCount)
                    """)
                {
                    Parameters = { new("retryCount", RetryFilter.RetryCountParameter) },
                },
                // The queue table holds only waiting and fetched jobs; its smallest id per queue is the oldest waiting.
                new($"""
                    SELECT q.queue, q.waiting, q.fetched, st.createdat
                    FROM (SELECT queue,
                                 count(*) FILTER (WHERE fetchedat IS NULL) AS waiting,
                                 count(*) FILTER (WHERE fetchedat IS NOT NULL) AS fetched,
                                 min(id) FILTER (WHERE fetchedat IS NULL) AS oldest
                          FROM {s}.jobqueue GROUP BY queue) q
                    LEFT JOIN {s}.jobqueue o ON o.id = q.oldest
                    LEFT JOIN {s}.job j ON j.id = o.jobid
                    LEFT JOIN {s}.state st ON st.id = j.stateid
                    """),
                new($"""
                    SELECT coalesce(h.id, d.server_id), h.data, h.lastheartbeat,
                           d.host, d.process_id, d.queues, d.started_at, d.heartbeat_at, d.working_set_bytes,
                           d.cpu_percent, d.busy_workers, d.worker_count, d.processed, d.failed, d.stopped_at
                    FROM {s}.server h
                    FULL JOIN (SELECT * FROM dashboard.server_heartbeats WHERE heartbeat_at >= @since) d ON d.server_id = h.id
                    """)
                {
                    Parameters = { new("since", now - options.Value.ShowGoneServersFor) },
                },
                new($"""
                    SELECT j.id, j.invocationdata ->> 'Type', st.data ->> 'ServerId', st.data ->> 'WorkerId', st.createdat
                    FROM {s}.job j JOIN {s}.state st ON st.id = j.stateid
                    WHERE j.statename = 'Processing'
                    ORDER BY j.id
                    """),
            },
        };

        Dictionary<string, long> states, counters;
        long recurring, retries;
        List<QueueSummary> queues;
        List<ServerSummary> servers;
        List<RunningJob> running;
        using (var reader = batch.ExecuteReader())
        {
            states = ReadPairs(reader);
            reader.NextResult();
            counters = ReadPairs(reader);
            reader.NextResult();
            recurring = ReadScalar(reader);
            reader.NextResult();
            retries = ReadScalar(reader);
            reader.NextResult();
            queues = ReadQueues(reader);
            reader.NextResult();
            servers = ReadServers(reader, now);
            reader.NextResult();
            running = ReadRunning(reader);
        }

        var counts = new JobCounts(
            states.GetValueOrDefault("Enqueued"),
            states.GetValueOrDefault("Scheduled"),
            states.GetValueOrDefault("Processing"),
            counters.GetValueOrDefault("stats:succeeded"),
            states.GetValueOrDefault("Failed"),
            counters.GetValueOrDefault("stats:deleted"),
            recurring,
            retries)
        {
            Awaiting = states.GetValueOrDefault("Awaiting"),
        };

        var completed = throughput.CompletedPerMinuteByQueue(connection, now - options.Value.TrendWindow, now);
        var listened = servers.Where(v => v.IsAlive).SelectMany(v => v.Queues).ToHashSet(StringComparer.Ordinal);
        // Queues live servers listen to are listed even when empty, so an idle queue shows 0 rather than vanishing.
        var idle = listened.Where(name => queues.All(q => q.Name != name)).Select(name => new QueueSummary(name, 0, 0));
        var queueSummaries = queues.Concat(idle)
            .Select(q => q with { CompletedPerMinute = completed.GetValueOrDefault(q.Name), HasListeners = listened.Contains(q.Name) })
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .ToList();

        return new OverviewSnapshot(now, counts, servers, queueSummaries)
        {
            Running = running,
            Throughput = throughput.History(connection, now),
        };
    }

    private static Dictionary<string, long> ReadPairs(NpgsqlDataReader reader)
    {
        var pairs = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            pairs[reader.GetString(0)] = reader.GetInt64(1);
        }

        return pairs;
    }

    private static long ReadScalar(NpgsqlDataReader reader) => reader.Read() ? reader.GetInt64(0) : 0;

    private static List<QueueSummary> ReadQueues(NpgsqlDataReader reader)
    {
        var queues = new List<QueueSummary>();
        while (reader.Read())
        {
            queues.Add(new QueueSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2))
            {
                OldestEnqueuedAt = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            });
        }

        return [.. queues.OrderBy(q => q.Name, StringComparer.Ordinal)];
    }

    private List<ServerSummary> ReadServers(NpgsqlDataReader reader, DateTimeOffset now)
    {
        var servers = new List<ServerSummary>();
        while (reader.Read())
        {
            var registered = !reader.IsDBNull(1);
            var hangfire = registered ? JsonSerializer.Deserialize<HangfireServerData>(reader.GetString(1)) : null;
            DateTimeOffset? hangfireBeat = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
            var vitals = reader.IsDBNull(3) ? null : new ServerVitals(
                reader.GetString(3),
                reader.GetInt32(4),
                reader.GetInt64(8),
                reader.GetDouble(9),
                reader.GetInt32(10),
                reader.GetInt64(12),
                reader.GetInt64(13),
                reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14));
            DateTimeOffset? ourBeat = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7);

            // Either heartbeat proves the process is alive; a frozen or dead process stops both.
            var heartbeat = Max(hangfireBeat, ourBeat);
            servers.Add(new ServerSummary(
                reader.GetString(0),
                hangfire?.WorkerCount ?? (reader.IsDBNull(11) ? 0 : reader.GetInt32(11)),
                hangfire?.Queues ?? (reader.IsDBNull(5) ? [] : reader.GetFieldValue<string[]>(5)),
                hangfire?.StartedAt ?? (reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)),
                heartbeat)
            {
                Vitals = vitals,
                Health = HealthOf(vitals?.StoppedAt, heartbeat, now),
            });
        }

        return [.. servers.OrderBy(v => v.Health).ThenBy(v => v.Name, StringComparer.Ordinal)];
    }

    private ServerHealth HealthOf(DateTimeOffset? stoppedAt, DateTimeOffset? heartbeat, DateTimeOffset now)
    {
        if (stoppedAt is not null)
        {
            return ServerHealth.Stopped;
        }

        var age = heartbeat is { } beat ? now - beat : TimeSpan.MaxValue;
        return age <= options.Value.HeartbeatLateAfter ? ServerHealth.Healthy
            : age <= options.Value.HeartbeatStaleAfter ? ServerHealth.Late
            : ServerHealth.Stale;
    }

    private static List<RunningJob> ReadRunning(NpgsqlDataReader reader)
    {
        var running = new List<RunningJob>();
        while (reader.Read())
        {
            running.Add(new RunningJob(
                reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                StoredJob.ShortTypeName(reader.IsDBNull(1) ? null : reader.GetString(1)),
                reader.IsDBNull(2) ? "" : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return running;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>The JSON Hangfire keeps in <c>server.data</c>.</summary>
    private sealed record HangfireServerData(int WorkerCount, string[] Queues, DateTimeOffset? StartedAt);
}
