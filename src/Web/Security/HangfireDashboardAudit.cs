using Dashboard.Web.Operations;
using System.Security.Claims;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;

namespace Dashboard.Web.Security;

/// <summary>
/// Puts what operators do in Hangfire's own pages (<c>/hangfire</c>) on the audit trail, like every action on ours:
/// each state-changing request (all of them are posts; the statistics poll is the one post that changes nothing) is
/// recorded after Hangfire answered it, with the user, the command, the job ids and how it ended: Hangfire's
/// 401 to a read-only user is <c>Denied</c>, its 422 (the job was not in that state) and anything else <c>Failed</c>.
/// </summary>
public sealed class HangfireDashboardAudit(RequestDelegate next, IAuditLog audit)
{
    /// <summary>The form field Hangfire's list pages send the selected ids in.</summary>
    private const string SelectedIds = "jobs[]";

    /// <summary>Id lists longer than this are cut in the audit row's target (the column holds 1000 characters).</summary>
    private const int MaxTargetLength = 900;

    /// <summary>An unknown command's path, as recorded in the details.</summary>
    private const int MaxPathLength = 256;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.StartsWithSegments(SecurityHeaders.HangfirePath, StringComparison.OrdinalIgnoreCase, out var command)
            || command.Equals("/stats", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        // Read before Hangfire does: ASP.NET Core keeps the parsed form, so Hangfire reads the same one.
        var ids = new List<string>();
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            ids.AddRange(form[SelectedIds].Where(id => !string.IsNullOrEmpty(id))!);
        }

        var (action, fromState, pathId) = Describe(command.Value ?? "");
        if (pathId is not null)
        {
            ids.Add(pathId);
        }

        await next(context);

        var status = context.Response.StatusCode;
        var outcome = status switch
        {
            >= 200 and < 300 => AuditOutcome.Succeeded,
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => AuditOutcome.Denied,
            _ => AuditOutcome.Failed,
        };
        var details = string.Join("; ", new[]
        {
            fromState is null ? null : $"from {fromState}",
            action == AuditActions.HangfireCommand ? $"path {AuditText.Clean(command.Value ?? "", MaxPathLength)}" : null,
            outcome == AuditOutcome.Succeeded ? null : $"HTTP {status}",
        }.Where(d => d is not null));
        var user = context.User;
        await audit.RecordAsync(
            new AuditRecord(
                user.Identity?.Name ?? "(anonymous)",
                user.FindFirstValue(ClaimTypes.NameIdentifier),
                action,
                Target(ids),
                outcome,
                details.Length == 0 ? null : details,
                context.Connection.RemoteIpAddress?.ToString()),
            CancellationToken.None);
    }

    /// <summary>
    /// The audit action for one of Hangfire's command paths (relative to <c>/hangfire</c>): the verb of
    /// <c>/jobs/actions/{verb}/{id}</c>, <c>/jobs/{state}/{verb}</c> and <c>/recurring/{verb}</c>, named
    /// <c>hangfire.{verb}</c>; any other post is <c>hangfire.command</c> with its path in the details.
    /// </summary>
    public static (string Action, string? FromState, string? PathId) Describe(string command)
    {
        var parts = command.Trim('/').Split('/', 4);
        static string Verb(string verb) => verb.ToLowerInvariant() switch
        {
            "requeue" => AuditActions.HangfireRequeue,
            "delete" => AuditActions.HangfireDelete,
            _ => AuditActions.HangfireEnqueue,
        };
        return parts switch
        {
            ["jobs", "actions", var verb, var id] when IsKnown(verb) => (Verb(verb), null, Uri.UnescapeDataString(id)),
            ["jobs", var state, var verb] when IsKnown(verb) => (Verb(verb), state.ToLowerInvariant(), null),
            ["recurring", "remove"] => (AuditActions.HangfireRecurringRemove, null, null),
            ["recurring", "trigger"] => (AuditActions.HangfireTrigger, null, null),
            _ => (AuditActions.HangfireCommand, null, null),
        };

        static bool IsKnown(string verb) => verb.ToLowerInvariant() is "requeue" or "delete" or "enqueue";
    }

    private static string? Target(List<string> ids)
    {
        if (ids.Count == 0)
        {
            return null;
        }

        var joined = AuditText.Clean(string.Join(", ", ids), MaxTargetLength);
        return joined.Length <= MaxTargetLength ? joined : $"{joined} ({ids.Count} ids)";
    }
}
