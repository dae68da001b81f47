namespace Dashboard.Data.Entities;

/// <summary>One HTTP attempt to deliver a webhook: the delivery log operators read when a target misbehaves.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }

    /// <summary>The caller's id for the delivery; stays the same across retries.</summary>
    public string DeliveryKey { get; set; } = "";

    public string? JobId { get; set; }

    public int Attempt { get; set; }

    public string Url { get; set; } = "";

    public int? StatusCode { get; set; }

    public WebhookOutcome Outcome { get; set; }

    public string? Error { get; set; }

    public double DurationMs { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum WebhookOutcome
{
    Delivered = 0,
    /// <summary>5xx, 408, 429, timeout or network error: retried.</summary>
    RetryableFailure = 1,
    /// <summary>Any other 4xx: the target will not accept it, so it is not retried.</summary>
    PermanentFailure = 2,
}
