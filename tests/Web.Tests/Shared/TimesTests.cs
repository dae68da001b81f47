using Dashboard.Web.Components.Shared;

namespace Dashboard.Web.Tests.Shared;

public sealed class TimesTests
{
    // 23:40:05 in a zone two hours east of Greenwich is 21:40:05 UTC.
    private static readonly DateTimeOffset EastOfGreenwich = new(2026, 12, 4, 23, 40, 5, TimeSpan.FromHours(2));

    [Fact]
    public void Format_TimeWithAnOffset_WritesTheUtcTimeAndSaysUtc() =>
        Assert.Equal("2026-12-04 21:40:05 UTC", Times.Format(EastOfGreenwich));

    [Fact]
    public void Format_NoTime_Dash() => Assert.Equal("–", Times.Format((DateTimeOffset?)null));

    [Fact]
    public void ShortAndClock_TimeWithAnOffset_Utc()
    {
        Assert.Equal("2026-12-04 21:40 UTC", Times.Short(EastOfGreenwich));
        Assert.Equal("21:40:05 UTC", Times.Clock(EastOfGreenwich));
        Assert.Equal("21:40 UTC", Times.ClockMinutes(EastOfGreenwich));
    }

    [Fact]
    public void Format_DayChangesInUtc_WritesTheUtcDay() =>
        Assert.Equal("2026-12-04 23:30:00 UTC", Times.Format(new DateTimeOffset(2026, 12, 5, 1, 30, 0, TimeSpan.FromHours(2))));

    [Theory]
    [InlineData(TimeBucket.Minute, "21:40")]
    [InlineData(TimeBucket.Hour, "21:00")]
    [InlineData(TimeBucket.Day, "Fri 4 Dec")]
    public void Bucket_EachSize_UtcLabel(TimeBucket size, string expected) =>
        Assert.Equal(expected, Times.Bucket(EastOfGreenwich, size));

    [Fact]
    public void InputMinute_RoundTripsInUtc()
    {
        Assert.Equal("2026-12-04T21:40", Times.ToInputMinute(EastOfGreenwich));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 21, 40, 0, TimeSpan.Zero), Times.ParseInputMinute("2026-12-04T21:40"));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), Times.ParseInputMinute("2026-12-04"));
        Assert.Null(Times.ParseInputMinute("yesterday"));
    }

    [Fact]
    public void InputDay_RoundTrips()
    {
        Assert.Equal("2026-12-04", Times.ToInputDay(new DateOnly(2026, 12, 4)));
        Assert.Equal(new DateOnly(2026, 12, 4), Times.ParseInputDay(" 2026-12-04 "));
        Assert.Null(Times.ParseInputDay("04/12/2026"));
    }
}
