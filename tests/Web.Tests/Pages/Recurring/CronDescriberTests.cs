using Dashboard.Web.Components.Pages.Recurring;

namespace Dashboard.Web.Tests.Pages.Recurring;

public sealed class CronDescriberTests
{
    [Theory]
    [InlineData("* * * * *", "Every minute")]
    [InlineData("*/1 * * * *", "Every minute")]
    [InlineData("*/5 * * * *", "Every 5 minutes")]
    [InlineData("*/15 * * * *", "Every 15 minutes")]
    [InlineData("0 * * * *", "At minute 0 past every hour")]
    [InlineData("17 * * * *", "At minute 17 past every hour")]
    [InlineData("30 */2 * * *", "At minute 30 past every 2 hours")]
    [InlineData("0 3 * * *", "At 03:00 every day")]
    [InlineData("17 3 * * *", "At 03:17 every day")]
    [InlineData("0 8,20 * * *", "At 08:00 and 20:00 every day")]
    [InlineData("0 6,12,18 * * *", "At 06:00, 12:00 and 18:00 every day")]
    [InlineData("30 9 * * 1", "Every Monday at 09:30")]
    [InlineData("30 9 * * MON", "Every Monday at 09:30")]
    [InlineData("0 0 * * 0", "Every Sunday at 00:00")]
    [InlineData("0 0 * * 7", "Every Sunday at 00:00")]
    [InlineData("0 9 * * 1-5", "At 09:00, Monday through Friday")]
    [InlineData("0 9 * * MON-FRI", "At 09:00, Monday through Friday")]
    [InlineData("0 9 * * 1,3,5", "At 09:00 on Monday, Wednesday and Friday")]
    [InlineData("0 0 1 * *", "At 00:00 on day 1 of every month")]
    [InlineData("0 0 1,15 * *", "At 00:00 on days 1 and 15 of every month")]
    [InlineData("0 0 1 1 *", "At 00:00 on 1 January")]
    [InlineData("0 12 * 7 *", "At 12:00 every day in July")]
    [InlineData("0 0 31 2 *", "Never (no such date)")]
    [InlineData("0 30 9 * * 1", "Every Monday at 09:30")]
    [InlineData("*/10 * * * * *", "Every 10 seconds")]
    [InlineData("* * * * * *", "Every second")]
    [InlineData("@daily", "At 00:00 every day")]
    [InlineData("@hourly", "At minute 0 past every hour")]
    [InlineData("@weekly", "Every Sunday at 00:00")]
    [InlineData("  0   3 * * *  ", "At 03:00 every day")]
    public void Describe_CommonForms_PlainEnglish(string cron, string expected) =>
        Assert.Equal(expected, CronDescriber.Describe(cron));

    [Theory]
    // Steps that do not divide the cycle have an uneven gap at the wrap-around: "every 7 minutes" would be wrong.
    [InlineData("*/7 * * * *")]
    [InlineData("*/5 9 * * *")]
    [InlineData("5/15 * * * *")]
    [InlineData("0-30/5 * * * *")]
    [InlineData("0 */5 * * *")]
    // Day of month and day of week both restricted means "either" in cron: no honest one-liner.
    [InlineData("0 9 1 * 1")]
    [InlineData("0 9 9-17 * *")]
    [InlineData("0 9-17 * * *")]
    [InlineData("0 0 L * *")]
    [InlineData("0 0 * * 5#3")]
    [InlineData("0 0 15W * *")]
    [InlineData("60 * * * *")]
    [InlineData("0 24 * * *")]
    [InlineData("0 0 * * 1 2024")]
    [InlineData("15,45 * * * *")]
    [InlineData("7 0 9 * * 1")]
    [InlineData("@reboot")]
    [InlineData("not a cron")]
    [InlineData("")]
    public void TryDescribe_FormsItMustNotGuess_NoDescriptionAndRawExpressionShown(string cron)
    {
        Assert.False(CronDescriber.TryDescribe(cron, out var description));
        Assert.Equal("", description);
        Assert.Equal(cron.Trim(), CronDescriber.Describe(cron));
    }

    [Fact]
    public void Describe_Null_Empty() => Assert.Equal("", CronDescriber.Describe(null));
}
