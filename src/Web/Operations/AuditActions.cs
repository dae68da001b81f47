namespace Dashboard.Web.Operations;

/// <summary>
/// Every action name the audit trail records, in one place: the trail is searched by these names (the Audit page, the
/// sign-in throttle), so a name is a contract and is spelt once. Tests state the literals on purpose.
/// </summary>
public static class AuditActions
{
    public const string JobRequeue = "job.requeue";
    public const string JobDelete = "job.delete";
    public const string JobEnqueueCopy = "job.enqueue-copy";
    public const string JobEnqueue = "job.enqueue";

    public const string JobsRequeueMatching = "jobs.requeue-matching";
    public const string JobsDeleteMatching = "jobs.delete-matching";
    public const string JobsBulkCancel = "jobs.bulk-cancel";

    public const string RecurringTrigger = "recurring.trigger";
    public const string RecurringPause = "recurring.pause";
    public const string RecurringResume = "recurring.resume";
    public const string RecurringRemove = "recurring.remove";

    public const string UserCreate = "user.create";
    public const string UserRoleChange = "user.role-change";
    public const string UserDisable = "user.disable";
    public const string UserEnable = "user.enable";
    public const string UserPasswordReset = "user.password-reset";

    public const string ApiKeyCreate = "apikey.create";
    public const string ApiKeyUpdate = "apikey.update";
    public const string ApiKeyRevoke = "apikey.revoke";
    public const string ApiKeyForbidden = "apikey.forbidden";
    public const string ApiKeyRateLimited = "apikey.rate-limited";

    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";

    /// <summary>Hangfire's own dashboard: <c>hangfire.{verb}</c> for its job commands (requeue, delete, enqueue).</summary>
    public const string HangfireRequeue = "hangfire.requeue";
    public const string HangfireDelete = "hangfire.delete";
    public const string HangfireEnqueue = "hangfire.enqueue";
    public const string HangfireRecurringRemove = "hangfire.recurring-remove";
    public const string HangfireTrigger = "hangfire.trigger";
    public const string HangfireCommand = "hangfire.command";
}
