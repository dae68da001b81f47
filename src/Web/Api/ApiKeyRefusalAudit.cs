using Dashboard.Web.Operations;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;

namespace Dashboard.Web.Api;

/// <summary>
/// Puts refused API requests (a job or queue outside the key's scope, a key over its rate) in the audit trail, at most
/// once per <see cref="Resolution"/> per key and process. A caller in a retry loop would otherwise write thousands of
/// rows a minute, drowning the trail and turning the database into the thing the rate limit protects. The refusals
/// in between are counted and the next entry says how many there were, so nothing goes unreported.
/// </summary>
public sealed partial class ApiKeyRefusalAudit(IAuditLog audit, TimeProvider time, ILogger<ApiKeyRefusalAudit> logger)
{
    public const string ForbiddenAction = AuditActions.ApiKeyForbidden;

    public const string RateLimitedAction = AuditActions.ApiKeyRateLimited;

    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, State> _keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How the audit trail names a caller that is an API key: never the key, always its name.</summary>
    public static string ActorOf(string keyName) => $"apikey:{keyName}";

    /// <summary>Records the refusal, or only counts it when this key already has an entry within the last minute.</summary>
    public async Task RecordAsync(string keyName, string action, string details, string? remoteIp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int suppressed;
        lock (_keys)
        {
            if (!_keys.TryGetValue(keyName, out var state))
            {
                state = new State();
                _keys[keyName] = state;
            }

            if (state.WrittenAt is { } written && now - written < Resolution)
            {
                state.Suppressed++;
                return;
            }

            suppressed = state.Suppressed;
            state.WrittenAt = now;
            state.Suppressed = 0;
        }

        if (suppressed > 0)
        {
            details += $"; {suppressed} more refused request(s) of this key since its previous entry";
        }

        try
        {
            await audit.RecordAsync(new AuditRecord(ActorOf(keyName), null, action, keyName, AuditOutcome.Denied, details, remoteIp), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The caller gets its 403 or 429 either way; a missing audit row is logged where it is lost.
            NotAudited(logger, ex, action, keyName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the audit entry {Action} for API key {ApiKeyName}")]
    private static partial void NotAudited(ILogger logger, Exception exception, string action, string apiKeyName);

    private sealed class State
    {
        public DateTimeOffset? WrittenAt { get; set; }

        public int Suppressed { get; set; }
    }
}
