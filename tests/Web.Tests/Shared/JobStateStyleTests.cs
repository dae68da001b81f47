using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Shared;
using MudBlazor;

namespace Dashboard.Web.Tests.Shared;

public sealed class JobStateStyleTests
{
    [Fact]
    public void ColorOf_EveryStateButDeleted_HasItsOwnColour()
    {
        var colours = JobStateNames.All.Where(s => s != JobStateNames.Deleted).Select(JobStateStyle.ColorOf).ToList();

        Assert.Equal(colours.Count, colours.Distinct().Count());
        Assert.DoesNotContain(Color.Default, colours);
    }

    [Fact]
    public void ColorOf_ScheduledIsNotAWarningAndFailedIsAnError()
    {
        Assert.Equal(Color.Secondary, JobStateStyle.ColorOf(JobStateNames.Scheduled));
        Assert.Equal(Color.Error, JobStateStyle.ColorOf(JobStateNames.Failed));
        Assert.Equal(Color.Success, JobStateStyle.ColorOf(JobStateNames.Succeeded));
    }

    [Fact]
    public void IconOf_EveryState_HasItsOwnIcon() =>
        Assert.Equal(JobStateNames.All.Count, JobStateNames.All.Select(JobStateStyle.IconOf).Distinct().Count());

    [Theory]
    [InlineData(null, "expired")]
    [InlineData("", "expired")]
    [InlineData("Failed", "Failed")]
    public void LabelOf_MissingState_ReadsExpired(string? state, string expected) =>
        Assert.Equal(expected, JobStateStyle.LabelOf(state));

    [Fact]
    public void ColorOf_UnknownState_Default() => Assert.Equal(Color.Default, JobStateStyle.ColorOf("Custom"));
}
