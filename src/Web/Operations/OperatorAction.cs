namespace Dashboard.Web.Operations;

/// <summary>One operator action as the audit trail and the log name it.</summary>
/// <param name="Policy">The authorization policy the user must meet (<see cref="Security.Policies"/>).</param>
/// <param name="Action">One of <see cref="AuditActions"/>.</param>
/// <param name="Target">What it acts on, as recorded (already trimmed and shortened by the caller).</param>
/// <param name="What">The action as the start of a sentence, for a failure message: "Requeueing job '42'".</param>
/// <param name="Context">What a Denied row records before the policy it lacked, e.g. a bulk action's filter and count.</param>
public sealed record OperatorAction(string Policy, string Action, string Target, string What, string? Context = null);
