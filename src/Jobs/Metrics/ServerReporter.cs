using System.Diagnostics;
using Dashboard.Data.Database;
using Dashboard.Jobs.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Jobs.Metrics;

/// <summary>
/// Every flush interval, writes what this worker did (the execution metrics gathered in memory) and its rich
/// heartbeat, in one batch. Registered before the Hangfire server, it stops after it, so the last jobs of a graceful
/// shutdown are counted and the heartbeat is marked stopped.
/// </summary>
internal sealed partial class ServerReporter(
    ExecutionMetrics metrics,
    ServerRuntime runtime,
    PostgresEndpoint endpoint,
    IOptions<HangfireOptions> hangfire,
    IOptions<MetricsOptions> options,
    TimeProvider time,
    ILogger<ServerReporter> logger) : BackgroundService
{
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _lastSample = Stopwatch.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync(stopped: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the final report is written by StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReportAsync(stopped: true, cancellationToken);
    }

    internal async Task ReportAsync(bool stopped, CancellationToken cancellationToken)
    {
        var samples = metrics.Drain();
        try
        {
            await using var connection = new NpgsqlConnection(endpoint.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection);
            foreach (var sample in samples)
            {
                batch.BatchCommands.Add(MetricsSql.Upsert(sample));
            }

            if (runtime.ServerId is { } serverId)
            {
                batch.BatchCommands.Add(Heartbeat(serverId, stopped));
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // Keep the figures for the next flush: an outage delays them, it does not lose them.
            metrics.Restore(samples);
            LogFlushFailed(logger, samples.Count, ex.Message);
        }
    }

    private NpgsqlBatchCommand Heartbeat(string serverId, bool stopped)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = Stopwatch.GetTimestamp();
        var wall = Stopwatch.GetElapsedTime(_lastSample, now);
        var cpuPercent = wall > TimeSpan.Zero ? (cpu - _lastCpu) / wall / Environment.ProcessorCount * 100 : 0;
        _lastCpu = cpu;
        _lastSample = now;

        var (processed, failed, averageMs) = metrics.Totals();
        var command = new NpgsqlBatchCommand("""
            INSERT INTO dashboard.server_heartbeats
                (server_id, host, process_id, queues, started_at, heartbeat_at, working_set_bytes, cpu_percent,
                 busy_workers, worker_count, processed, failed, average_duration_ms, stopped_at)
            VALUES (@id, @host, @pid, @queues, @started, @now, @memory, @cpu, @busy, @workers, @processed, @failed, @avg, @stoppedAt)
            ON CONFLICT (server_id) DO UPDATE SET
                heartbeat_at = excluded.heartbeat_at, working_set_bytes = excluded.working_set_bytes,
                cpu_percent = excluded.cpu_percent, busy_workers = excluded.busy_workers,
                processed = excluded.processed, failed = excluded.failed,
                average_duration_ms = excluded.average_duration_ms, stopped_at = excluded.stopped_at
            """);
        var utcNow = time.GetUtcNow();
        command.Parameters.AddWithValue("id", serverId);
        command.Parameters.AddWithValue("host", Environment.MachineName);
        command.Parameters.AddWithValue("pid", Environment.ProcessId);
        command.Parameters.AddWithValue("queues", hangfire.Value.EffectiveQueues.ToArray());
        command.Parameters.AddWithValue("started", metrics.StartedAt);
        command.Parameters.AddWithValue("now", utcNow);
        command.Parameters.AddWithValue("memory", process.WorkingSet64);
        command.Parameters.AddWithValue("cpu", Math.Round(cpuPercent, 1));
        command.Parameters.AddWithValue("busy", metrics.BusyWorkers);
        command.Parameters.AddWithValue("workers", hangfire.Value.WorkerCount);
        command.Parameters.AddWithValue("processed", processed);
        command.Parameters.AddWithValue("failed", failed);
        command.Parameters.AddWithValue("avg", averageMs);
        command.Parameters.AddWithValue("stoppedAt", stopped ? utcNow : DBNull.Value);
        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} metric row(s) and the heartbeat; keeping them for the next flush: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, int count, string reason);
}
