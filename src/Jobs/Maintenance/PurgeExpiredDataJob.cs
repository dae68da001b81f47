using Dashboard.Data.Database;
using Dashboard.Jobs.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Jobs.Maintenance;

public sealed record PurgeExpiredDataArgs;

/// <summary>
/// Applies <see cref="RetentionOptions"/> to the dashboard's own tables. Deletes go in bounded batches, so a large
/// backlog never holds one long transaction or lock.
/// </summary>
[JobQueue("low")]
[Attempts(3)]
public sealed partial class PurgeExpiredDataJob(
    PostgresEndpoint endpoint,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<PurgeExpiredDataJob> logger) : IJob<PurgeExpiredDataArgs>
{
    internal const int BatchSize = 5_000;

    public async Task<IReadOnlyDictionary<string, long>> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var r = retention.Value;
        var targets = new (string Table, string Column, DateTimeOffset Cutoff)[]
        {
            ("job_metrics_minute", "bucket_start", now - r.MinuteMetrics),
            ("job_metrics_hour", "bucket_start", now - r.HourMetrics),
            ("webhook_attempts", "created_at", now - r.WebhookAttempts),
            ("email_deliveries", "created_at", now - r.EmailDeliveries),
            ("server_heartbeats", "heartbeat_at", now - r.DeadServers),
        };

        var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(endpoint.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var (table, column, cutoff) in targets)
        {
            long total = 0;
            int batch;
            do
            {
                // Table and column names come from the list above, never from input.
                await using var command = new NpgsqlCommand(
                    $"DELETE FROM dashboard.{table} WHERE ctid IN (SELECT ctid FROM dashboard.{table} WHERE {column} < @cutoff LIMIT {BatchSize})",
                    connection);
                command.Parameters.AddWithValue("cutoff", cutoff);
                batch = await command.ExecuteNonQueryAsync(cancellationToken);
                total += batch;
            }
            while (batch == BatchSize);

            deleted[table] = total;
        }

        return deleted;
    }

    public async Task RunAsync(PurgeExpiredDataArgs args, CancellationToken cancellationToken)
    {
        var deleted = await PurgeAsync(cancellationToken);
        LogPurged(logger, string.Join(", ", deleted.Select(d => $"{d.Key}: {d.Value}")));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged expired rows ({Counts})")]
    private static partial void LogPurged(ILogger logger, string counts);
}
