using AngleSharp.Dom;
using Bunit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Components.Pages.Recurring;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Shared;

/// <summary>
/// The shared pieces as the pages show them: a job state has one colour everywhere (JobStateStyle) and every
/// time is written in UTC (Times), whatever offset the stored time carries.
/// </summary>
public sealed class SharedLookAcrossPagesTests : DashboardTestContext
{
    // 14:00:00 two hours east of Greenwich is 12:00:00 UTC.
    private static readonly DateTimeOffset NoonUtcWrittenEast = new(2026, 11, 22, 14, 0, 0, TimeSpan.FromHours(2));

    private readonly FakeJobSearchQueries _search = new();
    private readonly FakeJobDetailsQueries _details = new();
    private readonly FakeRecurringJobQueries _recurring = new();
    private readonly FakeOverviewSource _source = new();

    public SharedLookAcrossPagesTests()
    {
        Services.AddSingleton<IJobSearchQueries>(_search);
        Services.AddSingleton<IJobDetailsQueries>(_details);
        Services.AddSingleton<IJobCommands>(new FakeJobCommands());
        Services.AddSingleton<IRecurringJobQueries>(_recurring);
        Services.AddSingleton<IRecurringJobCommands>(new FakeRecurringJobCommands());
        Services.AddSingleton<IOverviewSource>(_source);
    }

    [Fact]
    public void ScheduledState_SameChipColourOnJobsBrowserJobDetailsAndRecurring()
    {
        _search.Page = new JobPage([FakeJobSearchQueries.Row(8, JobStateNames.Scheduled)], null, null);
        _search.Count = new CappedCount(1, false);
        _details.Jobs["8"] = JobViews.RetryScheduled("8", retries: 1, nextRetry: Snapshots.Now.AddSeconds(30));
        _recurring.Jobs.Add(FakeRecurringJobQueries.Job("nightly", lastJobId: "8", lastState: JobStateNames.Scheduled));

        var browser = ChipColour(Render<JobsBrowser>().Find("[data-testid=row-state]"));
        var details = ChipColour(Render<JobDetails>(p => p.Add(x => x.Id, "8")).Find("[data-testid=job-state]"));
        var recurring = ChipColour(Render<RecurringJobs>().Find("[data-testid=last-state]"));

        Assert.Equal("mud-chip-color-secondary", browser);
        Assert.Equal(browser, details);
        Assert.Equal(browser, recurring);
    }

    [Fact]
    public void FailedState_SameChipColourOnJobsBrowserAndJobDetails()
    {
        _search.Page = new JobPage([FakeJobSearchQueries.Row(42)], null, null);
        _search.Count = new CappedCount(1, false);
        _details.Jobs["42"] = JobViews.Failed("42", "stack");

        var browser = ChipColour(Render<JobsBrowser>().Find("[data-testid=row-state]"));
        var details = ChipColour(Render<JobDetails>(p => p.Add(x => x.Id, "42")).Find("[data-testid=job-state]"));

        Assert.Equal("mud-chip-color-error", browser);
        Assert.Equal(browser, details);
    }

    [Fact]
    public void ScheduledCount_OnTheOverview_HasTheStateColourToo()
    {
        _source.Current = new OverviewState(Snapshots.Sample(), null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        var card = page.Find("[data-testid=count-scheduled]").ParentElement!;
        Assert.Contains("mud-secondary-text", card.QuerySelector("svg")!.ClassList);
    }

    [Fact]
    public void JobsBrowser_TimesWithAnOffset_ShownInUtc()
    {
        _search.Page = new JobPage([FakeJobSearchQueries.Row(42) with { StateAt = NoonUtcWrittenEast, CreatedAt = NoonUtcWrittenEast.AddMinutes(-1) }], null, null);
        _search.Count = new CappedCount(1, false);

        var row = Render<JobsBrowser>().Find("[data-testid=jobs-rows] tbody tr");

        Assert.Contains("2026-11-22 12:00:00 UTC", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-11-22 11:59:00 UTC", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("14:00", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Recurring_NextRunWithAnOffset_ShownInUtc()
    {
        _recurring.Jobs.Add(FakeRecurringJobQueries.Job("nightly") with { NextRun = NoonUtcWrittenEast.AddMinutes(3) });

        var next = Render<RecurringJobs>().Find("[data-testid=next-run]").TextContent;

        Assert.Contains("2026-11-22 12:03:00 UTC", next, StringComparison.Ordinal);
        Assert.DoesNotContain("14:03", next, StringComparison.Ordinal);
    }

    [Fact]
    public void Overview_SnapshotTakenAtWithAnOffset_UpdatedClockInUtc()
    {
        _source.Current = new OverviewState(Snapshots.Sample() with { TakenAt = NoonUtcWrittenEast }, null, null);

        var page = Render<Dashboard.Web.Components.Pages.Overview.Overview>();

        Assert.Equal("Updated 12:00:00 UTC", page.Find("[data-testid=taken-at]").TextContent.Trim());
    }

    private static string ChipColour(IElement chip) =>
        Assert.Single(chip.ClassList, c => c.StartsWith("mud-chip-color-", StringComparison.Ordinal));
}
