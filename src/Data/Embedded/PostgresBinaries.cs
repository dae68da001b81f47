namespace Dashboard.Data.Embedded;

/// <summary>Finds the folder that holds <c>initdb</c> and <c>pg_ctl</c>.</summary>
public static class PostgresBinaries
{
    public const string MissingMessage =
        "PostgreSQL was not found: no initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin. " +
        "Either install PostgreSQL (for example 'apt-get install postgresql') so the dashboard can start its private server, " +
        "or point it at an existing server with ConnectionStrings__Postgres=\"Host=...;Database=...;Username=...;Password=...\".";

    public static string MissingConfiguredMessage(string configured) =>
        $"PostgreSQL was not found: Dashboard:Database:Embedded:BinDirectory is '{configured}', which holds no initdb/pg_ctl. " +
        "Either install PostgreSQL there (or clear the setting to search PATH and /usr/lib/postgresql/*/bin), " +
        "or point the dashboard at an existing server with ConnectionStrings__Postgres=\"Host=...;Database=...;Username=...;Password=...\".";

    /// <summary>Returns the binaries folder, or null when none is found.</summary>
    public static string? Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasTools(configured) ? configured : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasTools(dir))
            {
                return dir;
            }
        }

        // Debian and Ubuntu keep the server tools out of PATH, one folder per major version: take the newest.
        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            var newest = System.IO.Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(x => x.Version >= 0 && HasTools(x.Dir))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return null;
    }

    private static bool HasTools(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));
}
