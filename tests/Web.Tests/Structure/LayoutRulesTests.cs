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

/// <summary>Source rules that the compiler cannot see: read from the repository the tests were built from.</summary>
public sealed class SourceRulesTests
{
    private static readonly string Root = FindRoot();

    private static readonly System.Text.RegularExpressions.Regex PublicType = new(
        @"^public\s+(?:(?:sealed|static|abstract|partial|readonly)\s+)*(?:class|record|interface|enum|struct)\s",
        System.Text.RegularExpressions.RegexOptions.Multiline);

    [Fact]
    public void StorageEngine_OnePublicTypePerFile()
    {
        var crowded = Directory.EnumerateFiles(Path.Combine(Root, "src", "Data", "Hangfire"), "*.cs")
            .Select(f => (File: Path.GetFileName(f), Count: PublicType.Matches(File.ReadAllText(f)).Count))
            .Where(f => f.Count > 1)
            .Select(f => $"{f.File} ({f.Count})")
            .ToList();

        Assert.True(crowded.Count == 0, $"One public type per file in the storage engine: {string.Join(", ", crowded)}");
    }

    [Fact]
    public void NoSourceFileOver300Lines()
    {
        var tooLong = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Root, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File} ({f.Lines})")
            .ToList();

        Assert.True(tooLong.Count == 0, $"Split files over 300 lines (generated migrations excepted): {string.Join(", ", tooLong)}");
    }

    [Fact]
    public void OneAdvisoryLockType()
    {
        var types = new[] { typeof(Dashboard.Data.Database.AdvisoryLock).Assembly, typeof(Dashboard.Data.Hangfire.DashboardStorage).Assembly, typeof(OverviewSnapshotService).Assembly, typeof(Dashboard.Jobs.JobsHostingExtensions).Assembly }
            .Distinct()
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name == "AdvisoryLock")
            .Select(t => t.FullName)
            .ToList();

        Assert.Equal(["Dashboard.Data.Database.AdvisoryLock"], types);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.sln*").Any())
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (the folder with the solution) was not found above " + AppContext.BaseDirectory);
    }
}
