namespace Dashboard.Web.Components.Pages.Recurring;

public enum RecurringJobAction
{
    Trigger,
    Pause,
    Resume,
    Remove,
}

/// <summary>What an operator asked for on one row of the recurring jobs page.</summary>
public sealed record RecurringJobCommand(RecurringJobAction Action, string Id);

/// <summary>Short relative times ("3 min ago", "in 2 h") for schedules and runs.</summary>
internal static class Durations
{
    public static string Ago(TimeSpan age) => age < TimeSpan.FromSeconds(1) ? "just now" : Short(age) + " ago";

    public static string Until(TimeSpan wait) => wait < TimeSpan.FromSeconds(1) ? "due now" : "in " + Short(wait);

    private static string Short(TimeSpan span) =>
        span.TotalMinutes < 1 ? $"{(int)span.TotalSeconds} s"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
        : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : $"{(int)span.TotalDays} d {span.Hours} h";
}
