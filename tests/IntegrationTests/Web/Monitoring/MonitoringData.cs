using Dashboard.Data.Database;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Data.Hangfire;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Maintenance;
using Dashboard.Web.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.IntegrationTests.Web.Monitoring;

/// <summary>
/// A storage the size of a busy day, written straight into Hangfire's tables (test data only): 200,000 succeeded
/// and 20,000 failed jobs; 100 waiting in <c>default</c> (oldest 10 min) and 50 in <c>critical</c> (oldest 1 min);
/// 3 processing (2 on a live server, 1 on a stale one); 10 scheduled of which 4 are retries; 2 awaiting; counters;
/// four servers in every health; execution metrics in minute and hour rows, overlapping where the roll-up would.
/// </summary>
public sealed class MonitoringData : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 30, 0, TimeSpan.Zero);

    private readonly string _connectionString;
    private IHost? _host;

    public MonitoringData(PostgresServerFixture postgres) => _connectionString = postgres.CreateDatabase();

    public string ConnectionString => _connectionString;

    internal OverviewQueries CreateQueries(SettableClock clock)
    {
        var monitoring = Options.Create(new MonitoringOptions());
        return new OverviewQueries(
            _host!.Services.GetRequiredService<HangfireDatabase>(),
            new ThroughputQueries(monitoring, Options.Create(new RetentionOptions())),
            monitoring,
            clock);
    }

    public async ValueTask InitializeAsync()
    {
        _host = DataServices.Build(_connectionString);
        await _host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var seed = new NpgsqlCommand(Seed, connection) { CommandTimeout = 120 };
        seed.Parameters.AddWithValue("now", Now);
        await seed.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        // Rows written straight, not through Hangfire's state changes: count the failures as the triggers would.
        await using var recount = new NpgsqlCommand(FailureSignatures.Rebuild("hangfire"), connection);
        await recount.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _host?.Dispose();
        return ValueTask.CompletedTask;
    }

    private const string Seed = """
        CREATE TEMP TABLE seed AS
        SELECT i,
               CASE WHEN i <= 200000 THEN 'Succeeded'
                    WHEN i <= 220000 THEN 'Failed'
                    WHEN i <= 220150 THEN 'Enqueued'
                    WHEN i <= 220153 THEN 'Processing'
                    WHEN i <= 220163 THEN 'Scheduled'
                    ELSE 'Awaiting' END AS state,
               CASE WHEN i BETWEEN 220001 AND 220100 THEN 'default'
                    WHEN i BETWEEN 220101 AND 220150 THEN 'critical' END AS queue,
               CASE WHEN i = 220001 THEN @now - interval '10 minutes'
                    WHEN i = 220101 THEN @now - interval '1 minute'
                    WHEN i > 220000 THEN @now - interval '30 seconds'
                    ELSE @now - make_interval(secs => i) END AS at
        FROM generate_series(1, 220165) AS i;

        INSERT INTO hangfire.job (id, stateid, statename, invocationdata, arguments, createdat)
        SELECT i, i, state,
               jsonb_build_object('Type', 'Dashboard.Jobs.Diagnostics.DiagnosticsJob, Dashboard.Jobs', 'Method', 'RunAsync',
                                  'ParameterTypes', '[]', 'Arguments', '[]'),
               '[]', at
        FROM seed;
        INSERT INTO hangfire.state (id, jobid, name, createdat, data)
        SELECT i, i, state, at,
               CASE WHEN state = 'Processing' THEN jsonb_build_object(
                        'ServerId', CASE WHEN i = 220153 THEN 'stale:2:b' ELSE 'live:1:a' END, 'WorkerId', 'w' || i, 'StartedAt', '0')
                    WHEN state = 'Enqueued' THEN jsonb_build_object('Queue', queue)
                    ELSE '{}'::jsonb END
        FROM seed;
        INSERT INTO hangfire.jobqueue (jobid, queue, fetchedat)
        SELECT i, coalesce(queue, 'default'), CASE WHEN state = 'Processing' THEN @now - interval '5 seconds' END
        FROM seed WHERE state IN ('Enqueued', 'Processing') ORDER BY i;
        INSERT INTO hangfire.jobparameter (jobid, name, value)
        SELECT i, 'RetryCount', '1' FROM seed WHERE state = 'Scheduled' AND i % 3 = 0;
        SELECT setval('hangfire.job_id_seq', 220165), setval('hangfire.state_id_seq', 220165);

        INSERT INTO hangfire.aggregatedcounter (key, value) VALUES ('stats:succeeded', 199990);
        INSERT INTO hangfire.counter (key, value) SELECT 'stats:succeeded', 1 FROM generate_series(1, 10);
        INSERT INTO hangfire.counter (key, value) VALUES ('stats:deleted', 7);
        INSERT INTO hangfire.set (key, value, score) VALUES ('recurring-jobs', 'a', 0), ('recurring-jobs', 'b', 0), ('recurring-jobs', 'c', 0);

        INSERT INTO hangfire.server (id, data, lastheartbeat) VALUES
            ('live:1:a', '{"WorkerCount": 20, "Queues": ["critical", "default"], "StartedAt": "2026-06-15T09:30:00Z"}', @now - interval '2 seconds'),
            ('late:5:e', '{"WorkerCount": 4, "Queues": ["low"], "StartedAt": "2026-06-15T12:00:00Z"}', @now - interval '20 seconds');
        INSERT INTO dashboard.server_heartbeats (server_id, host, process_id, queues, started_at, heartbeat_at, working_set_bytes,
            cpu_percent, busy_workers, worker_count, processed, failed, average_duration_ms, stopped_at) VALUES
            ('live:1:a', 'box-1', 101, '{critical,default}', @now - interval '3 hours', @now - interval '1 second', 209715200, 37.5, 2, 20, 5000, 12, 40, NULL),
            ('stale:2:b', 'box-2', 202, '{default}', @now - interval '1 hour', @now - interval '2 minutes', 104857600, 0, 1, 10, 300, 1, 40, NULL),
            ('stopped:3:c', 'box-3', 303, '{default}', @now - interval '2 hours', @now - interval '10 minutes', 104857600, 0, 0, 10, 900, 0, 40, @now - interval '10 minutes'),
            ('ancient:4:d', 'box-4', 404, '{default}', @now - interval '9 hours', @now - interval '3 hours', 104857600, 0, 0, 10, 1, 0, 40, NULL);

        -- Roll-up horizon at 12:30 with the default 3 h window: 09:00. Minute rows count from there on, hour rows before.
        INSERT INTO dashboard.job_metrics_minute (bucket_start, job_type, queue, executions, failures, duration_sum_ms, duration_max_ms, histogram) VALUES
            ('2026-06-15T12:29:00Z', 'DiagnosticsJob', 'default', 10, 1, 100, 20, '{}'),
            ('2026-06-15T12:00:00Z', 'DiagnosticsJob', 'default', 5, 0, 50, 20, '{}'),
            ('2026-06-15T10:15:00Z', 'DiagnosticsJob', 'critical', 7, 2, 70, 20, '{}');
        INSERT INTO dashboard.job_metrics_hour (bucket_start, job_type, queue, executions, failures, duration_sum_ms, duration_max_ms, histogram) VALUES
            ('2026-06-15T10:00:00Z', 'DiagnosticsJob', 'critical', 7, 2, 70, 20, '{}'),
            ('2026-06-15T08:00:00Z', 'DiagnosticsJob', 'default', 100, 10, 1000, 20, '{}'),
            ('2026-06-12T12:00:00Z', 'DiagnosticsJob', 'default', 1000, 0, 1000, 20, '{}');
        ANALYZE hangfire.job; ANALYZE hangfire.state; ANALYZE hangfire.jobqueue;
        """;
}
