namespace Dashboard.Jobs.Tests;

internal static class RepositoryFiles
{
    /// <summary>The repository's own appsettings.json (the one every role reads), found from the test's output folder.</summary>
    public static string RootAppSettings()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "appsettings.json");
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("root appsettings.json not found");
    }
}
