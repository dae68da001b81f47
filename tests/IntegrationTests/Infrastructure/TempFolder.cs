namespace Dashboard.IntegrationTests.Infrastructure;

internal static class TempFolder
{
    public static string Create(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dashboard-tests-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string? path)
    {
        if (path is null || !Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A server that has not quite let go of a file; the temp folder is cleaned by the OS in the end.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
