using System.Globalization;
using Dashboard.Web.Components.Shared;

namespace Dashboard.Web.Components.Pages.Jobs.Search;

/// <summary>
/// What the job lists filter by; every field is optional. <see cref="State"/> is a Hangfire state name
/// (<see cref="JobStateNames"/>); <see cref="JobType"/> and <see cref="ExceptionType"/> match case-insensitively as a
/// substring of the short class name; <see cref="Text"/> is a case-insensitive substring of the exception message,
/// the state reason or the arguments, or a job id typed exactly; <see cref="From"/> (inclusive) and <see cref="To"/>
/// (exclusive) bound the time the job entered its current state; <see cref="Signature"/> is an error signature from
/// <see cref="ErrorGroup.Signature"/>.
/// </summary>
public sealed record JobFilter(
    string? State = null,
    string? JobType = null,
    string? Queue = null,
    string? ExceptionType = null,
    string? Text = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Signature = null)
{
    /// <summary>The filter in words, for confirmations and the audit trail: <c>state=Failed type=SendEmailJob</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        Add("state", State);
        Add("type", JobType);
        Add("queue", Queue);
        Add("exception", ExceptionType);
        Add("text", Text);
        Add("from", From is { } from ? Times.Short(from) : null);
        Add("to", To is { } to ? Times.Short(to) : null);
        Add("signature", Signature);
        return parts.Count == 0 ? "all jobs" : string.Join(' ', parts);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(value.Contains(' ', StringComparison.Ordinal) ? $"{name}=\"{value.Trim()}\"" : $"{name}={value.Trim()}");
            }
        }
    }
}

/// <summary>
/// Which page: the newest (neither cursor), the one just older than <see cref="After"/>, or the one just newer than
/// <see cref="Before"/> (job ids, exclusive).
/// </summary>
public sealed record JobPageRequest(long? After = null, long? Before = null, int Size = JobPageRequest.DefaultSize)
{
    public const int DefaultSize = 50;

    public static readonly IReadOnlyList<int> Sizes = [20, 50, 100];
}

public sealed record JobRow(
    long Id,
    string JobType,
    string Method,
    string Queue,
    string State,
    string? Reason,
    DateTimeOffset StateAt,
    DateTimeOffset CreatedAt,
    string? ExceptionType,
    string? ExceptionMessage);

/// <summary>
/// One page, newest first. <see cref="Older"/> is the cursor of the next older page (pass it as
/// <see cref="JobPageRequest.After"/>), <see cref="Newer"/> that of the next newer one (as
/// <see cref="JobPageRequest.Before"/>); each is null when there is no such page.
/// </summary>
public sealed record JobPage(IReadOnlyList<JobRow> Rows, long? Older, long? Newer);

/// <summary>A count that stops at <see cref="Cap"/>: counting every one of a million jobs costs what a table scan costs.</summary>
public sealed record CappedCount(long Value, bool AtLeast)
{
    public const int Cap = 10_000;

    public static CappedCount Of(long counted) => counted > Cap ? new(Cap, true) : new(counted, false);

    public override string ToString() => Value.ToString("N0", CultureInfo.InvariantCulture) + (AtLeast ? "+" : "");
}

/// <summary>
/// Failures that share an error signature: the exception type and its message with the parts that differ between
/// occurrences (numbers, GUIDs, hex ids, quoted values) replaced by placeholders.
/// </summary>
public sealed record ErrorGroup(
    string Signature,
    string ExceptionType,
    long Count,
    IReadOnlyList<string> JobTypes,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);

/// <summary>The exact number of jobs a bulk action will walk, and the newest of them: jobs that match later are not included.</summary>
public sealed record MatchSnapshot(long Count, long? NewestId);

public interface IJobSearchQueries
{
    Task<JobPage> FindAsync(JobFilter filter, JobPageRequest page, CancellationToken cancellationToken = default);

    /// <summary>How many jobs match, up to <see cref="CappedCount.Cap"/>.</summary>
    Task<CappedCount> CountAsync(JobFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Jobs in each of <see cref="JobStateNames.All"/>, each up to <see cref="CappedCount.Cap"/>.</summary>
    Task<IReadOnlyDictionary<string, CappedCount>> CountByStateAsync(CancellationToken cancellationToken = default);

    /// <summary>The failed jobs matching <paramref name="filter"/> (its state is ignored) by error signature, largest first.</summary>
    Task<IReadOnlyList<ErrorGroup>> GroupFailuresAsync(JobFilter filter, int maxGroups, CancellationToken cancellationToken = default);

    /// <summary>The exact count, for a bulk action's confirmation; it reads every matching row, so only on demand.</summary>
    Task<MatchSnapshot> SnapshotAsync(JobFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> matching ids below <paramref name="before"/>, newest first (the bulk walk).</summary>
    Task<IReadOnlyList<long>> FindIdsAsync(JobFilter filter, long before, int limit, CancellationToken cancellationToken = default);
}
