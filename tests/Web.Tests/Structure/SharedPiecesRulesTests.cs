using System.Text.RegularExpressions;

namespace Dashboard.Web.Tests.Structure;

/// <summary>
/// One time policy and one state-to-colour map (DESIGN.md §8), by a source scan of src/Web/Components/Pages: pages
/// write times only through Components/Shared/Times (UTC, never the server's zone) and colour job states only
/// through Components/Shared/JobStateStyle.
/// </summary>
public sealed partial class SharedPiecesRulesTests
{
    [Fact]
    public void NoPageConvertsToLocalTimeOrFormatsDatesItself()
    {
        var offences = PageLines().Where(l => Offends(l.Line)).Select(l => l.Where).ToList();

        Assert.True(offences.Count == 0, "Write times with Components/Shared/Times (UTC everywhere):\n" + string.Join('\n', offences));
    }

    [Fact]
    public void NoPageMapsAJobStateToAColourItself()
    {
        var offences = PageLines().Where(l => StateColour().IsMatch(l.Line)).Select(l => l.Where).ToList();

        Assert.True(offences.Count == 0, "Colour job states with Components/Shared/JobStateStyle:\n" + string.Join('\n', offences));
    }

    [Theory]
    [InlineData("""        "Scheduled" => Color.Warning,""")]
    [InlineData("""        "Enqueued" or "Scheduled" or "Awaiting" => Color.Primary,""")]
    [InlineData("""        JobStateNames.Processing => Color.Info,""")]
    public void StateColour_TheMapsPagesUsedToHave_IsFound(string line) => Assert.Matches(StateColour(), line);

    [Fact]
    public void StateColour_AuditOutcomeColours_AreNotJobStates() =>
        Assert.DoesNotMatch(StateColour(), "        AuditOutcome.Succeeded => Color.Success,");

    // The scan must be able to fail: each of these is what a page used to do before the policy.
    [Theory]
    [InlineData("""Updated @taken.TakenAt.ToLocalTime().ToString("HH:mm:ss")""")]
    [InlineData("""<MudTd>@context.CreatedAt.LocalDateTime</MudTd>""")]
    [InlineData("""private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss");""")]
    [InlineData("""$"From {plan.From.UtcDateTime:yyyy-MM-dd HH:mm} UTC to now";""")]
    [InlineData("""$"Locked until {until:HH:mm}";""")]
    [InlineData("""var today = DateTime.Now;""")]
    [InlineData("""var now = DateTimeOffset.Now;""")]
    [InlineData("""<ThroughputChart Format="ddd d MMM" />""")]
    [InlineData("""@job.CreatedAt.ToShortDateString()""")]
    [InlineData("""TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Local)""")]
    public void Offends_WhatPagesUsedToWrite_IsFound(string line) => Assert.True(Offends(line), line);

    [Theory]
    [InlineData("""<MudTd>@Times.Format(context.StateAt)</MudTd>""")]
    [InlineData("""Updated @Times.Clock(taken.TakenAt)""")]
    [InlineData("""@Throughput.LastHourByMinute.Sum(p => p.Succeeded).ToString("N0")""")]
    [InlineData("""<MudTh>In state since</MudTh>""")]
    public void Offends_SharedFormatterAndNumbers_AreAllowed(string line) => Assert.False(Offends(line), line);

    private static bool Offends(string line) => Forbidden().IsMatch(line);

    [GeneratedRegex("""("(Enqueued|Scheduled|Processing|Succeeded|Failed|Deleted|Awaiting)"|JobStateNames\.\w+)[^=]*=>\s*Color\.""")]
    private static partial Regex StateColour();

    private static List<(string Line, string Where)> PageLines()
    {
        var pages = Path.Combine(RepositoryRoot(), "src", "Web", "Components", "Pages");
        var files = Directory.EnumerateFiles(pages, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 20, $"The scan found only {files.Count} files under {pages}; the path is wrong.");

        return [.. files.SelectMany(file => File.ReadLines(file).Select((line, i) => (line, $"{Path.GetRelativePath(pages, file)}:{i + 1}: {line.Trim()}")))];
    }

    // Server-zone conversions, the clock's local "now", and custom date patterns in a literal or an interpolation hole.
    [GeneratedRegex("""ToLocalTime\(|\.LocalDateTime\b|\bDateTime(Offset)?\.Now\b|TimeZoneInfo\.Local\b|To(Short|Long)(Date|Time)String\(|"[^"]*\b(yyyy|HH:mm|HH:00|ddd|MMM)\b[^"]*"|\{[^{}]*:(yyyy|HH|MMM|ddd)[^{}]*\}""")]
    private static partial Regex Forbidden();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Dashboard.sln above {AppContext.BaseDirectory}.");
    }
}
