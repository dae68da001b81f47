using Npgsql;

namespace Dashboard.Bench;

/// <summary>
/// Hangfire's tables filled straight with SQL (benchmark data only; real changes go through Hangfire's APIs): a busy
/// storage of <c>total</c> jobs of which a tenth failed with four error signatures, 900 waiting in two queues,
/// 18 processing, 0.1 % scheduled, the rest succeeded, with Hangfire's counters to match.
/// </summary>
internal static class SnapshotData
{
    /// <param name="queued">False leaves the queue table empty, so a server started on the data has nothing to run.</param>
    public static async Task SeedAsync(string connectionString, int total, bool queued = true)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var seed = new NpgsqlCommand(queued ? Sql : Sql.Replace(QueueRows, "", StringComparison.Ordinal), connection) { CommandTimeout = 1200 };
        seed.Parameters.AddWithValue("total", total);
        await seed.ExecuteNonQueryAsync();
        // Rows written straight, not through Hangfire's state changes: count the failures as the triggers would.
        await using var recount = new NpgsqlCommand(Dashboard.Data.Hangfire.FailureSignatures.Rebuild("hangfire"), connection) { CommandTimeout = 1200 };
        await recount.ExecuteNonQueryAsync();
        // As autovacuum would leave them: statistics for the planner, visibility map for index-only counts.
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE hangfire.job, hangfire.state, hangfire.jobqueue, hangfire.dashboard_failure_v1, hangfire.dashboard_failure_group_v1", connection) { CommandTimeout = 1200 };
        await vacuum.ExecuteNonQueryAsync();
    }

    private const string QueueRows = """
        INSERT INTO hangfire.jobqueue (jobid, queue, fetchedat)
        SELECT i, queue, CASE WHEN state = 'Processing' THEN now() END FROM seed WHERE state IN ('Enqueued', 'Processing') ORDER BY i;
        """;

    private const string Sql = """
        CREATE TEMP TABLE seed AS
        SELECT i,
               CASE WHEN i % 10 = 0 THEN 'Failed'
                    WHEN i > @total - 1000 THEN 'Enqueued'
                    WHEN i > @total - 1020 THEN 'Processing'
                    WHEN i % 997 = 1 THEN 'Scheduled'
                    ELSE 'Succeeded' END AS state,
               CASE WHEN i % 2 = 0 THEN 'default' ELSE 'critical' END AS queue,
               now() - make_interval(secs => (@total - i) * 0.05) AS at
        FROM generate_series(1, @total) AS i;

        INSERT INTO hangfire.job (id, stateid, statename, invocationdata, arguments, createdat, expireat)
        SELECT i, i, state,
               jsonb_build_object('Type', CASE WHEN i % 3 = 0 THEN 'Dashboard.Jobs.Email.SendEmailJob, Dashboard.Jobs'
                                               ELSE 'Dashboard.Jobs.Webhooks.DeliverWebhookJob, Dashboard.Jobs' END,
                                  'Method', 'RunAsync', 'ParameterTypes', '[]', 'Arguments', '[]'),
               ('["{\"id\":' || i || '}"]')::jsonb, at,
               CASE WHEN state = 'Succeeded' THEN at + interval '1 day' END
        FROM seed;
        INSERT INTO hangfire.state (id, jobid, name, reason, createdat, data)
        SELECT i, i, state,
               CASE WHEN state = 'Failed' THEN 'An exception occurred during performance of the job.' END,
               at,
               CASE state
                   WHEN 'Failed' THEN jsonb_build_object(
                       'FailedAt', (extract(epoch FROM at) * 1000)::bigint::text,
                       'ExceptionType', (ARRAY['System.TimeoutException', 'System.InvalidOperationException', 'Npgsql.NpgsqlException', 'System.Net.Http.HttpRequestException'])[(i / 10) % 4 + 1],
                       'ExceptionMessage', CASE (i / 10) % 4
                           WHEN 0 THEN 'The operation timed out after ' || i || ' ms (request ' || md5(i::text)::uuid || ')'
                           WHEN 1 THEN 'Order ORD-' || i || ' for customer ' || substr(md5(i::text), 1, 12) || ' is in state ''Closed'''
                           WHEN 2 THEN 'Connection refused 10.0.' || (i % 250) || '.' || (i % 7) || ':5432'
                           ELSE 'Response status code does not indicate success: 503 (Service Unavailable).' END,
                       'ExceptionDetails', '   at Dashboard.Jobs.Seed.Run()', 'ServerId', 'box-1:1:a')
                   WHEN 'Enqueued' THEN jsonb_build_object('Queue', queue, 'EnqueuedAt', (extract(epoch FROM at) * 1000)::bigint::text)
                   WHEN 'Processing' THEN jsonb_build_object('ServerId', 'box-1:1:a', 'WorkerId', 'w' || i, 'StartedAt', (extract(epoch FROM at) * 1000)::bigint::text)
                   WHEN 'Succeeded' THEN jsonb_build_object('Latency', '12', 'PerformanceDuration', '3', 'SucceededAt', (extract(epoch FROM at) * 1000)::bigint::text)
                   ELSE jsonb_build_object('EnqueueAt', (extract(epoch FROM at + interval '1 hour') * 1000)::bigint::text) END
        FROM seed;
        INSERT INTO hangfire.jobqueue (jobid, queue, fetchedat)
        SELECT i, queue, CASE WHEN state = 'Processing' THEN now() END FROM seed WHERE state IN ('Enqueued', 'Processing') ORDER BY i;
        SELECT setval('hangfire.job_id_seq', @total), setval('hangfire.state_id_seq', @total);
        INSERT INTO hangfire.aggregatedcounter (key, value) SELECT 'stats:succeeded', count(*) FROM seed WHERE state = 'Succeeded';
        INSERT INTO hangfire.server (id, data, lastheartbeat) VALUES
            ('box-1:1:a', '{"WorkerCount": 20, "Queues": ["critical", "default", "low"], "StartedAt": "2026-06-15T09:30:00Z"}', now());
        """;
}
