using System.Globalization;

namespace Dashboard.Web.Components.Shared;

/// <summary>
/// The one time policy of the dashboard: every time on every page is written in UTC and says so. Operators compare
/// times across replicas, workers and log lines in other zones, and a server-local or browser-local time would need
/// the reader to know which zone the page meant. The layout's footer states the policy (<see cref="Policy"/>);
/// "4 min ago" stays with <see cref="Durations.Ago"/>.
/// </summary>
public static class Times
{
    /// <summary>What the footer of every page says.</summary>
    public const string Policy = "All times are UTC.";

    /// <summary>The placeholder for a time that is not known.</summary>
    public const string Missing = "–";

    private const string Seconds = "yyyy-MM-dd HH:mm:ss";
    private const string Minutes = "yyyy-MM-dd HH:mm";
    private const string InputMinute = "yyyy-MM-ddTHH:mm";
    private const string InputDay = "yyyy-MM-dd";

    /// <summary>"2026-12-04 21:40:05 UTC", whatever offset <paramref name="at"/> carries.</summary>
    public static string Format(DateTimeOffset at) => Write(at, Seconds) + " UTC";

    /// <summary><see cref="Format(DateTimeOffset)"/>, or "–" when there is no time.</summary>
    public static string Format(DateTimeOffset? at) => at is { } value ? Format(value) : Missing;

    /// <summary>"2026-12-04 21:40 UTC": for tables and sentences where seconds are noise.</summary>
    public static string Short(DateTimeOffset at) => Write(at, Minutes) + " UTC";

    /// <summary>"21:40:05 UTC": when a live view was last refreshed (the day is today's).</summary>
    public static string Clock(DateTimeOffset at) => Write(at, "HH:mm:ss") + " UTC";

    /// <summary>"21:40 UTC": a time later today, such as the end of a lock-out.</summary>
    public static string ClockMinutes(DateTimeOffset at) => Write(at, "HH:mm") + " UTC";

    /// <summary>The start of a chart bucket, short enough for an axis: "21:40", "21:00", "Fri 4 Dec" (all UTC).</summary>
    public static string Bucket(DateTimeOffset start, TimeBucket size) => Write(start, size switch
    {
        TimeBucket.Minute => "HH:mm",
        TimeBucket.Hour => "HH:00",
        _ => "ddd d MMM",
    });

    /// <summary>A UTC minute as a form field and a URL write it: <c>2026-11-22T09:30</c>.</summary>
    public static string ToInputMinute(DateTimeOffset at) => Write(at, InputMinute);

    /// <summary>A form's or URL's UTC time (<c>2026-11-22T09:30</c>; seconds or a bare day are accepted too).</summary>
    public static DateTimeOffset? ParseInputMinute(string? value) =>
        DateTime.TryParseExact(value?.Trim(), [InputMinute, InputMinute + ":ss", InputDay], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;

    /// <summary>A UTC day as a form field and a URL write it: <c>2026-11-22</c>.</summary>
    public static string ToInputDay(DateOnly day) => day.ToString(InputDay, CultureInfo.InvariantCulture);

    public static DateOnly? ParseInputDay(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), InputDay, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    private static string Write(DateTimeOffset at, string format) => at.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
}
