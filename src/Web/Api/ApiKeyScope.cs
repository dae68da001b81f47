namespace Dashboard.Web.Api;

/// <summary>
/// What one API key may do: which jobs it may enqueue, into which queues, and how many requests a minute it may send.
/// A null list means "every one", which is what a key without a list has always been allowed.
/// </summary>
public sealed record ApiKeyScope
{
    /// <summary>Ten a second: far above what a service enqueuing its own work sends, far below a flood.</summary>
    public const int DefaultRequestsPerMinute = 600;

    /// <summary>An upper bound so a typo (an extra zero or six) is caught instead of switching the limit off.</summary>
    public const int MaxRequestsPerMinute = 1_000_000;

    public static readonly ApiKeyScope Unrestricted = new(null, null, null);

    public ApiKeyScope(IEnumerable<string>? jobs, IEnumerable<string>? queues, int? requestsPerMinute)
    {
        // An empty list is read as "no list": a key that may enqueue nothing would be a key nobody needs.
        Jobs = Normalise(jobs);
        Queues = Normalise(queues);
        RequestsPerMinute = requestsPerMinute ?? DefaultRequestsPerMinute;
    }

    /// <summary>The job names the key may enqueue, sorted; null means every job.</summary>
    public IReadOnlyList<string>? Jobs { get; }

    /// <summary>The queues the key may enqueue into, sorted; null means every configured queue.</summary>
    public IReadOnlyList<string>? Queues { get; }

    public int RequestsPerMinute { get; }

    public bool AllowsJob(string job) => Jobs is null || Jobs.Contains(job, StringComparer.Ordinal);

    public bool AllowsQueue(string queue) => Queues is null || Queues.Contains(queue, StringComparer.Ordinal);

    private static string[]? Normalise(IEnumerable<string>? names)
    {
        var list = names?.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return list is { Length: > 0 } ? list : null;
    }
}

/// <summary>The caller behind an accepted key: its name (for logs and the audit trail) and its scope.</summary>
public sealed record ApiCaller(string Name, ApiKeyScope Scope);
