namespace Dashboard.Data.Entities;

/// <summary>
/// One email, identified by the caller's message key. The unique key is what makes sending idempotent: a retry or a
/// re-run finds the row and does not send again.
/// </summary>
public sealed class EmailDelivery
{
    public long Id { get; set; }

    public string MessageKey { get; set; } = "";

    public string ToAddress { get; set; } = "";

    public string Subject { get; set; } = "";

    public EmailDeliveryStatus Status { get; set; }

    /// <summary>Hangfire job that sent (or is sending) it.</summary>
    public string? JobId { get; set; }

    public string? Error { get; set; }

    public BounceType? BounceType { get; set; }

    public string? BounceReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? BouncedAt { get; set; }
}

public enum EmailDeliveryStatus
{
    /// <summary>Claimed by a job that is talking to the SMTP server right now (or crashed while doing so).</summary>
    Sending = 0,
    Sent = 1,
    /// <summary>Not sent: the address is suppressed after a hard bounce.</summary>
    Suppressed = 2,
    Bounced = 3,
    /// <summary>The SMTP server refused it for good.</summary>
    Failed = 4,
}

public enum BounceType
{
    Soft = 0,
    Hard = 1,
}
