using Npgsql;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// Test data only: inserts jobs straight into Hangfire's tables with generate_series, the way Hangfire.PostgreSql
/// stores them (a job row, an Enqueued state, the current state, a queue row while enqueued), fast enough for a
/// few hundred thousand jobs. The layout is a function of the job id, mirrored by the static methods here so tests
/// compute exact expectations:
/// <list type="bullet">
/// <item>even ids are Failed; odd ids cycle through Succeeded, Enqueued, Scheduled, Deleted, Processing;</item>
/// <item>the job class cycles through <see cref="Types"/>; ids divisible by 10 ran in the <c>critical</c> queue;</item>
/// <item>failures have one of four error signatures (<see cref="SignatureOf"/>), the rare one on every 1,000th id;</item>
/// <item>job i was created at <see cref="Origin"/> + i seconds and entered its current state 30 seconds later.</item>
/// </list>
/// Jobs have real, loadable invocation data (null arguments), so Hangfire's client can change their state.
/// </summary>
internal static class HangfireSeed
{
    public static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly string[] Types = ["SendEmailJob", "DeliverWebhookJob", "DiagnosticsJob"];

    public static readonly string[] Signatures =
    [
        "System.TimeoutException: The operation timed out after {n} ms (request {guid})",
        "System.InvalidOperationException: Order ORD-{n} for customer {hex} is in state {value}",
        "Npgsql.NpgsqlException: Connection refused {n}.{n}.{n}.{n}:{n}",
        "Dashboard.Jobs.Webhooks.WebhookDeliveryException: Webhook {value} answered {n} Gone",
    ];

    private static readonly string[] NonFailedStates = ["Succeeded", "Enqueued", "Scheduled", "Deleted", "Processing"];

    public static string StateOf(long id) => id % 2 == 0 ? "Failed" : NonFailedStates[(id / 2) % 5];

    public static string TypeOf(long id) => Types[id % 3];

    public static string QueueOf(long id) => id % 10 == 0 ? "critical" : "default";

    /// <summary>The error signature of a failed job (<see cref="Signatures"/>), null for the others.</summary>
    public static string? SignatureOf(long id) =>
        StateOf(id) != "Failed" ? null : id % 1000 == 0 ? Signatures[3] : Signatures[(id / 2) % 3];

    /// <summary>When job <paramref name="id"/> entered its current state.</summary>
    public static DateTimeOffset StateAtOf(long id) => Origin.AddSeconds(id + 30);

    /// <summary>Inserts jobs 1..<paramref name="count"/> into an empty Hangfire schema.</summary>
    public static async Task SeedAsync(string connectionString, int count, string schema = "hangfire")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($$"""
            CREATE TEMP TABLE seed AS
            SELECT i,
                   CASE WHEN i % 2 = 0 THEN 'Failed'
                        ELSE (ARRAY['Succeeded', 'Enqueued', 'Scheduled', 'Deleted', 'Processing'])[(i / 2) % 5 + 1] END AS state,
                   (ARRAY['Dashboard.Jobs.Email.SendEmail', 'Dashboard.Jobs.Webhooks.DeliverWebhook', 'Dashboard.Jobs.Diagnostics.Diagnostics'])[i % 3 + 1] AS type,
                   CASE WHEN i % 10 = 0 THEN 'critical' ELSE 'default' END AS queue,
                   CASE WHEN i % 1000 = 0 THEN 3 ELSE (i / 2) % 3 END AS failure,
                   @origin + make_interval(secs => i) AS created
            FROM generate_series(1, @count::bigint) AS i;

            INSERT INTO {{schema}}.job (id, stateid, statename, invocationdata, arguments, createdat, expireat)
            SELECT i, 2 * i, state,
                   jsonb_build_object('Type', type || 'Job, Dashboard.Jobs', 'Method', 'RunAsync', 'Arguments', '[null,null]',
                       'ParameterTypes', '["' || type || 'Args, Dashboard.Jobs","System.Threading.CancellationToken, mscorlib"]'),
                   '[null,null]'::jsonb, created, NULL
            FROM seed;

            INSERT INTO {{schema}}.state (id, jobid, name, reason, createdat, data)
            SELECT 2 * i - 1, i, 'Enqueued', NULL, created,
                   jsonb_build_object('Queue', queue, 'EnqueuedAt', (extract(epoch FROM created) * 1000)::bigint::text)
            FROM seed
            UNION ALL
            SELECT 2 * i, i, state,
                   CASE WHEN state = 'Failed' THEN 'An exception occurred during performance of the job.' END,
                   created + interval '30 seconds',
                   CASE state
                       WHEN 'Failed' THEN jsonb_build_object(
                           'FailedAt', (extract(epoch FROM created + interval '30 seconds') * 1000)::bigint::text,
                           'ServerId', 'seed',
                           'ExceptionType', (ARRAY['System.TimeoutException', 'System.InvalidOperationException', 'Npgsql.NpgsqlException', 'Dashboard.Jobs.Webhooks.WebhookDeliveryException'])[failure + 1],
                           'ExceptionMessage', CASE failure
                               WHEN 0 THEN 'The operation timed out after ' || (i % 5000) || ' ms (request ' || md5(i::text)::uuid || ')'
                               WHEN 1 THEN 'Order ORD-' || i || ' for customer 0x' || to_hex(i * 7919) || ' is in state "Cancelled"'
                               WHEN 2 THEN 'Connection refused 10.0.' || (i % 256) || '.' || (i % 7) || ':5432'
                               ELSE 'Webhook ''https://example.test/hooks/' || i || ''' answered 410 Gone' END,
                           'ExceptionDetails', '   at Dashboard.Jobs.Seed.Run()')
                       WHEN 'Enqueued' THEN jsonb_build_object('Queue', queue, 'EnqueuedAt', '0')
                       ELSE '{}'::jsonb END
            FROM seed;

            INSERT INTO {{schema}}.jobqueue (jobid, queue, fetchedat)
            SELECT i, queue, CASE WHEN state = 'Processing' THEN created END FROM seed WHERE state IN ('Enqueued', 'Processing');

            SELECT setval('{{schema}}.job_id_seq', @count::bigint);
            SELECT setval('{{schema}}.state_id_seq', 2 * @count::bigint);
            DROP TABLE seed;
            -- Rows written straight, not through Hangfire's state changes: count the failures as the triggers would.
            SELECT {{schema}}.dashboard_rebuild_failure_groups();
            ANALYZE {{schema}}.job;
            ANALYZE {{schema}}.state;
            """, connection);
        command.Parameters.AddWithValue("origin", Origin);
        command.Parameters.AddWithValue("count", count);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
