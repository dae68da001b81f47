using Dashboard.Jobs.Maintenance;
using Dashboard.Web.Components.Pages.JobMetrics;

namespace Dashboard.Web.Tests.Pages.JobMetrics;

public sealed class MetricsPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 34, 56, TimeSpan.Zero);

    [Fact]
    public void For_LastHourAndDayWithinMinuteRetention_MinuteRowsOnly()
    {
        var retention = new RetentionOptions { MinuteMetrics = TimeSpan.FromDays(2) };

        var hour = MetricsPlan.For(MetricsWindow.LastHour, Now, retention);
        var day = MetricsPlan.For(MetricsWindow.LastDay, Now, retention);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 34, 0, TimeSpan.Zero), hour.From);
        Assert.False(hour.UsesHourRows);
        Assert.Equal(60, hour.Slots);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 34, 0, TimeSpan.Zero), day.From);
        Assert.Equal(day.From, day.Cutoff);
        Assert.Equal(24, day.Slots);
    }

    [Fact]
    public void For_LastWeek_HourRowsUpToTheRollupWindowThenMinutes()
    {
        var retention = new RetentionOptions { MinuteMetrics = TimeSpan.FromDays(2), RollupWindow = TimeSpan.FromHours(3) };

        var plan = MetricsPlan.For(MetricsWindow.LastWeek, Now, retention);

        Assert.Equal(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero), plan.From);
        // 12:00 minus the 3 hours the roll-up still rewrites: hour rows before 09:00 are final.
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), plan.Cutoff);
        Assert.True(plan.UsesHourRows);
        Assert.Equal(28, plan.Slots);
    }

    [Fact]
    public void For_LastDayWithShortMinuteRetention_FallsBackToHourRows()
    {
        var retention = new RetentionOptions { MinuteMetrics = TimeSpan.FromHours(6), RollupWindow = TimeSpan.FromMinutes(90) };

        var plan = MetricsPlan.For(MetricsWindow.LastDay, Now, retention);

        Assert.True(plan.UsesHourRows);
        // A partial roll-up window still protects the whole hour it starts in.
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), plan.Cutoff);
    }

    [Theory]
    [InlineData("1h", MetricsWindow.LastHour)]
    [InlineData("24h", MetricsWindow.LastDay)]
    [InlineData("7D", MetricsWindow.LastWeek)]
    [InlineData("30d", MetricsWindow.LastMonth)]
    [InlineData(null, MetricsWindow.LastDay)]
    [InlineData("1y", MetricsWindow.LastDay)]
    public void Parse_UrlKey_Window(string? key, MetricsWindow expected) => Assert.Equal(expected, MetricsWindows.Parse(key));
}
