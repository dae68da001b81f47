using System.Reflection;
using System.Text.RegularExpressions;
using Dashboard.Web.Operations;

namespace Dashboard.Web.Tests.Structure;

/// <summary>
/// Audit action names are spelt once, in <see cref="AuditActions"/> (DESIGN.md §3, Operations/): the trail is searched
/// by them, so a second spelling somewhere in src/ is a name that can drift. Checked on the sources, not the assembly,
/// because a constant leaves no trace of where it was written.
/// </summary>
public sealed partial class AuditActionNamesTests
{
    private const string Home = "src/Web/Operations/AuditActions.cs";

    [GeneratedRegex("\"(job|jobs|user|apikey|recurring|signin|hangfire)\\.[a-z][a-z-]*\"")]
    private static partial Regex ActionLiteral();

    [Fact]
    public void NoSourceFileOutsideAuditActions_SpellsAnAuditActionName()
    {
        var names = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.Contains("job.requeue", names);

        var offenders = new List<string>();
        foreach (var (path, text) in SourceFiles())
        {
            offenders.AddRange(ActionLiteral().Matches(text).Select(m => $"{path}: {m.Value}"));
            offenders.AddRange(names.Where(n => text.Contains($"\"{n}\"", StringComparison.Ordinal)).Select(n => $"{path}: \"{n}\""));
        }

        Assert.True(offenders.Count == 0, $"Use the constants of {Home}: {string.Join(", ", offenders.Distinct())}");
    }

    [Fact]
    public void TheScan_SeesTheConstantsFile()
    {
        // Proves the scan reads the real tree: the one allowed home of the literals is found and holds them.
        var root = RepositoryRoot();
        var text = File.ReadAllText(Path.Combine(root, Home));
        Assert.Matches(ActionLiteral(), text);
        Assert.NotEmpty(SourceFiles());
    }

    private static IEnumerable<(string Path, string Text)> SourceFiles()
    {
        var root = RepositoryRoot();
        var src = Path.Combine(root, "src");
        return Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal) && f != Home)
            .Select(f => (f, File.ReadAllText(Path.Combine(root, f))))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Dashboard.sln above {AppContext.BaseDirectory}");
    }
}
