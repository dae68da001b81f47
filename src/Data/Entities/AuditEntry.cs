namespace Dashboard.Data.Entities;

/// <summary>
/// One operator or admin action (or a failed sign-in): who, when, what, on which target, and how it ended.
/// Append-only: nothing in the app updates or deletes these rows.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The user's name (email) at the time, kept even if the account is later renamed or removed.</summary>
    public string UserName { get; set; } = "";

    public string? UserId { get; set; }

    /// <summary>Dotted verb: <c>job.requeue</c>, <c>jobs.bulk-delete</c>, <c>user.create</c>, <c>apikey.revoke</c>, <c>signin.failed</c>, …</summary>
    public string Action { get; set; } = "";

    /// <summary>What it acted on: a job id, a user's email, a key name, a filter.</summary>
    public string? Target { get; set; }

    public AuditOutcome Outcome { get; set; }

    /// <summary>Free text or JSON: the filter and count of a bulk action, the reason of a denial or failure.</summary>
    public string? Details { get; set; }

    public string? RemoteIp { get; set; }
}

public enum AuditOutcome
{
    Succeeded = 0,
    Failed = 1,
    /// <summary>The user was not allowed to do it; recorded because attempts matter too.</summary>
    Denied = 2,
}
