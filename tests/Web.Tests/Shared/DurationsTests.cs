using Dashboard.Web.Components.Shared;

namespace Dashboard.Web.Tests.Shared;

public sealed class DurationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(30, "in 30 s")]
    [InlineData(-180, "3 min ago")]
    [InlineData(-0.5, "just now")]
    [InlineData(3 * 3600 + 300, "in 3 h 5 min")]
    [InlineData(-3600, "1 h ago")]
    public void Relative_BeforeAndAfterNow_SameWordsAsAgoAndUntil(double seconds, string expected) =>
        Assert.Equal(expected, Durations.Relative(Now.AddSeconds(seconds), Now));

    [Fact]
    public void Relative_OffsetOfTheInputDoesNotMatter() =>
        Assert.Equal("in 30 s", Durations.Relative(new DateTimeOffset(2026, 11, 22, 14, 0, 30, TimeSpan.FromHours(2)), Now));
}
