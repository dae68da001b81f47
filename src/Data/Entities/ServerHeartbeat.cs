namespace Dashboard.Data.Entities;

/// <summary>
/// The rich heartbeat of one Hangfire server (one row per server, overwritten every few seconds): what Hangfire's
/// own heartbeat lacks for the Workers page.
/// </summary>
public sealed class ServerHeartbeat
{
    /// <summary>Hangfire's server id (host:pid:guid).</summary>
    public string ServerId { get; set; } = "";

    public string Host { get; set; } = "";

    public int ProcessId { get; set; }

    public string[] Queues { get; set; } = [];

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset HeartbeatAt { get; set; }

    public long WorkingSetBytes { get; set; }

    public double CpuPercent { get; set; }

    public int BusyWorkers { get; set; }

    public int WorkerCount { get; set; }

    public long Processed { get; set; }

    public long Failed { get; set; }

    public double AverageDurationMs { get; set; }

    /// <summary>Set when the server stopped cleanly.</summary>
    public DateTimeOffset? StoppedAt { get; set; }
}
