using System.Globalization;
using Dashboard.Web.Components.Shared;

namespace Dashboard.Web.Components.Pages.Jobs.Search;

/// <summary>
/// The job lists keep every filter and the cursor in the query string, so a view can be bookmarked and shared and
/// the browser's back and forward buttons move between pages: <c>/jobs?state=failed&amp;type=SendEmail&amp;after=1234</c>.
/// </summary>
public static class JobSearchUrl
{
    /// <summary>Every parameter the lists read, so that changing a filter can clear the ones it does not set.</summary>
    public static readonly IReadOnlyList<string> Names = ["state", "type", "queue", "exception", "q", "from", "to", "sig", "after", "before", "size"];

    public static JobFilter Filter(string? state, string? type, string? queue, string? exception, string? text, string? from, string? to, string? signature) =>
        new(Blank(state), Blank(type), Blank(queue), Blank(exception), Blank(text), ParseTime(from), ParseTime(to), Blank(signature));

    public static JobPageRequest Page(string? after, string? before, string? size) =>
        new(ParseId(after), ParseId(before), int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && JobPageRequest.Sizes.Contains(n) ? n : JobPageRequest.DefaultSize);

    /// <summary>
    /// The query string of a filtered view; the state in lower case; the page size only when not the default.
    /// Cursors are left out unless given, so applying a filter starts again at the newest page.
    /// </summary>
    public static Dictionary<string, object?> Parameters(JobFilter filter, int size, long? after = null, long? before = null) => new()
    {
        ["state"] = Blank(filter.State)?.ToLowerInvariant(),
        ["type"] = Blank(filter.JobType),
        ["queue"] = Blank(filter.Queue),
        ["exception"] = Blank(filter.ExceptionType),
        ["q"] = Blank(filter.Text),
        ["from"] = FormatTime(filter.From),
        ["to"] = FormatTime(filter.To),
        ["sig"] = Blank(filter.Signature),
        ["after"] = after?.ToString(CultureInfo.InvariantCulture),
        ["before"] = before?.ToString(CultureInfo.InvariantCulture),
        ["size"] = size == JobPageRequest.DefaultSize ? null : size.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A UTC time as the form and the URL write it (<c>2026-11-22T09:30</c>); seconds are accepted too.</summary>
    public static DateTimeOffset? ParseTime(string? value) => Times.ParseInputMinute(value);

    public static string? FormatTime(DateTimeOffset? value) => value is { } time ? Times.ToInputMinute(time) : null;

    private static long? ParseId(string? value) => JobIds.IsWellFormed(value) ? long.Parse(value!, CultureInfo.InvariantCulture) : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
