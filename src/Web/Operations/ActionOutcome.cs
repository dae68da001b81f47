using Dashboard.Data.Entities;

namespace Dashboard.Web.Operations;

/// <summary>
/// What an operator action did, as the service's own result plus what the audit row says about it. A refusal the user
/// can act on (no such job, Hangfire did not apply the change) is <see cref="AuditOutcome.Failed"/> with its reason:
/// nothing was changed, so the transaction commits the audit row alone.
/// </summary>
/// <param name="RollBack">The change stopped part way (roles removed, the new one refused): keep none of it; the
/// Failed row is then written on its own after the rollback.</param>
public sealed record ActionOutcome<T>(T Result, AuditOutcome Outcome, string? Details = null, string? Target = null, bool RollBack = false)
{
    /// <param name="details">What the audit row adds, e.g. "new job 42".</param>
    public static ActionOutcome<T> Done(T result, string? details = null) => new(result, AuditOutcome.Succeeded, details);

    /// <param name="reason">Why nothing was changed, recorded as the audit row's details.</param>
    public static ActionOutcome<T> Refused(T result, string reason) => new(result, AuditOutcome.Failed, reason);

    /// <param name="reason">Why the change was abandoned part way; what it did is rolled back.</param>
    public static ActionOutcome<T> Undone(T result, string reason) => new(result, AuditOutcome.Failed, reason, RollBack: true);
}
