namespace Dashboard.Web.Components.Shared;

/// <summary>
/// The one way the dashboard writes a duration for people: "12 s", "4 min", "3 h", "3 h 5 min", "2 d", "2 d 3 h".
/// Pages, alerts and the scaling advice all use it, so the same wait reads the same everywhere.
/// </summary>
public static class Durations
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            value = TimeSpan.Zero;
        }

        return value.TotalSeconds < 60 ? $"{(int)value.TotalSeconds} s"
            : value.TotalMinutes < 60 ? $"{(int)value.TotalMinutes} min"
            : value.TotalHours < 24 ? (value.Minutes == 0 ? $"{(int)value.TotalHours} h" : $"{(int)value.TotalHours} h {value.Minutes} min")
            : value.Hours == 0 ? $"{(int)value.TotalDays} d" : $"{(int)value.TotalDays} d {value.Hours} h";
    }

    /// <summary>"just now" under a second, else "4 min ago".</summary>
    public static string Ago(TimeSpan age) => age < TimeSpan.FromSeconds(1) ? "just now" : Format(age) + " ago";

    /// <summary>"due now" under a second, else "in 4 min".</summary>
    public static string Until(TimeSpan wait) => wait < TimeSpan.FromSeconds(1) ? "due now" : "in " + Format(wait);

    /// <summary>"in 12 s" for a time after <paramref name="now"/>, "3 min ago" (or "just now") for one before.</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now) => at > now ? Until(at - now) : Ago(now - at);
}
