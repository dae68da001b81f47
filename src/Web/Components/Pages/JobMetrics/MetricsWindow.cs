using Dashboard.Jobs.Maintenance;

namespace Dashboard.Web.Components.Pages.JobMetrics;

public enum MetricsWindow
{
    LastHour,
    LastDay,
    LastWeek,
    LastMonth,
}

/// <summary>The windows the page offers, their URL keys (<c>?window=7d</c>) and how each is read.</summary>
public static class MetricsWindows
{
    public static IReadOnlyList<MetricsWindow> All { get; } = Enum.GetValues<MetricsWindow>();

    public static string Key(MetricsWindow window) => window switch
    {
        MetricsWindow.LastHour => "1h",
        MetricsWindow.LastDay => "24h",
        MetricsWindow.LastWeek => "7d",
        _ => "30d",
    };

    public static string Label(MetricsWindow window) => window switch
    {
        MetricsWindow.LastHour => "Last hour",
        MetricsWindow.LastDay => "Last 24 hours",
        MetricsWindow.LastWeek => "Last 7 days",
        _ => "Last 30 days",
    };

    /// <summary>The window a URL names; anything else is the default (last 24 hours).</summary>
    public static MetricsWindow Parse(string? key) =>
        All.FirstOrDefault(w => string.Equals(Key(w), key?.Trim(), StringComparison.OrdinalIgnoreCase), MetricsWindow.LastDay);

    public static TimeSpan Length(MetricsWindow window) => window switch
    {
        MetricsWindow.LastHour => TimeSpan.FromHours(1),
        MetricsWindow.LastDay => TimeSpan.FromDays(1),
        MetricsWindow.LastWeek => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };

    /// <summary>The width of one point of the trend line.</summary>
    public static TimeSpan Step(MetricsWindow window) => window switch
    {
        MetricsWindow.LastHour => TimeSpan.FromMinutes(1),
        MetricsWindow.LastDay => TimeSpan.FromHours(1),
        MetricsWindow.LastWeek => TimeSpan.FromHours(6),
        _ => TimeSpan.FromDays(1),
    };
}

/// <summary>
/// Which rows answer a window, so that no execution is counted twice. Minute rows are exact but kept only for
/// <see cref="RetentionOptions.MinuteMetrics"/>; hour rows keep the history but the roll-up job rewrites the last
/// <see cref="RetentionOptions.RollupWindow"/> hours from the minute rows (the current hour's row is partial). So a
/// window that fits in the minute retention reads minute rows only; a longer one reads hour rows for whole hours
/// before <see cref="Cutoff"/> (start of the current hour minus the roll-up window: final roll-ups) and minute rows
/// from the cutoff on. Each hour comes from exactly one table.
/// </summary>
public sealed record MetricsPlan(DateTimeOffset From, DateTimeOffset Cutoff, DateTimeOffset To, TimeSpan Step, int Slots)
{
    /// <summary>Hour rows are read for [From, Cutoff), minute rows for [Cutoff, To].</summary>
    public bool UsesHourRows => Cutoff > From;

    public static MetricsPlan For(MetricsWindow window, DateTimeOffset now, RetentionOptions retention)
    {
        var length = MetricsWindows.Length(window);
        var step = MetricsWindows.Step(window);
        var minute = Truncate(now, TimeSpan.FromMinutes(1));
        var slots = (int)Math.Ceiling(length / step);
        // A minute of slack: the purge deletes minute rows older than the retention on its own schedule.
        if (length + TimeSpan.FromMinutes(1) <= retention.MinuteMetrics)
        {
            var from = minute - length;
            return new MetricsPlan(from, from, now, step, slots);
        }

        var hour = Truncate(now, TimeSpan.FromHours(1));
        var start = hour - length;
        var cutoff = hour - Truncate(retention.RollupWindow, TimeSpan.FromHours(1), roundUp: true);
        return new MetricsPlan(start, cutoff < start ? start : cutoff, now, step, slots);
    }

    private static DateTimeOffset Truncate(DateTimeOffset at, TimeSpan unit) =>
        new(at.UtcTicks - (at.UtcTicks % unit.Ticks), TimeSpan.Zero);

    private static TimeSpan Truncate(TimeSpan span, TimeSpan unit, bool roundUp) =>
        TimeSpan.FromTicks((span.Ticks + (roundUp ? unit.Ticks - 1 : 0)) / unit.Ticks * unit.Ticks);
}
