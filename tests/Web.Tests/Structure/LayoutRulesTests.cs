using Dashboard.Web.Monitoring;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Web.Tests.Structure;

/// <summary>The layout of DESIGN.md §3, checked on the built assembly so that a file put in the wrong place fails.</summary>
public sealed class LayoutRulesTests
{
    private static readonly Type[] WebTypes = typeof(OverviewSnapshotService).Assembly.GetTypes();

    [Fact]
    public void NoHostedServiceLivesUnderComponents()
    {
        var misplaced = WebTypes
            .Where(t => typeof(IHostedService).IsAssignableFrom(t) && t.Namespace?.StartsWith("Dashboard.Web.Components", StringComparison.Ordinal) == true)
            .Select(t => t.FullName)
            .ToList();

        Assert.True(misplaced.Count == 0, $"Background work belongs in Monitoring/ or Operations/, not with the pages: {string.Join(", ", misplaced)}");
    }

    [Fact]
    public void MonitoringCoreAndSharedPieces_AreInTheirOwnNamespaces()
    {
        Assert.Equal("Dashboard.Web.Monitoring", typeof(OverviewSnapshotService).Namespace);
        Assert.Equal("Dashboard.Web.Monitoring", typeof(ScalingAdvisor).Namespace);
        Assert.Equal("Dashboard.Web.Monitoring", typeof(LiveAnalysis).Namespace);
        Assert.Equal("Dashboard.Web.Components.Shared", typeof(Dashboard.Web.Components.Shared.LivePage).Namespace);
        // One duration formatter for every page: nothing else in the assembly may be called Duration(s).
        Assert.Equal(["Dashboard.Web.Components.Shared.Durations"], WebTypes.Where(t => t.Name is "Duration" or "Durations").Select(t => t.FullName));
        // One time formatter and one job-state style, both shared.
        Assert.Equal(["Dashboard.Web.Components.Shared.Times"], WebTypes.Where(t => t.Name is "Time" or "Times").Select(t => t.FullName));
        Assert.Equal(
            ["Dashboard.Web.Components.Shared.JobStateStyle"],
            WebTypes.Where(t => t.Name.Contains("StateColor", StringComparison.Ordinal) || t.Name.Contains("StateStyle", StringComparison.Ordinal)).Select(t => t.FullName));
    }
}
