using Dashboard.Data.Database;
using Dashboard.Data.Embedded;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Hosting;

/// <summary>
/// How the binary runs: the server (default) or the one-shot <c>--migrate</c> step. Both turn "no database" into
/// one clear message and a non-zero exit code instead of a stack trace.
/// </summary>
internal static class DashboardCommands
{
    /// <summary>Exit code when PostgreSQL cannot be reached or started.</summary>
    public const int DatabaseUnavailableExitCode = 2;

    /// <summary>Exit code when the HTTP address is taken by another process.</summary>
    public const int PortInUseExitCode = 3;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            // Resolve the database first, on purpose: this is where a private server starts, or where a missing
            // connection string or missing PostgreSQL binaries are reported.
            app.Services.GetRequiredService<PostgresEndpoint>();
            if (args.Contains("--migrate", StringComparer.Ordinal))
            {
                var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(options.StartupTimeout, CancellationToken.None);
                StartupLog.Migrated(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dashboard"));
                return 0;
            }

            await app.RunAsync();
            return 0;
        }
        catch (PostgresUnavailableException ex)
        {
            return Unavailable(ex);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            Console.Error.WriteLine($"Dashboard cannot start: {ex.Message} Stop the other process or choose another address with --urls or ASPNETCORE_URLS.");
            return PortInUseExitCode;
        }
    }

    private static int Unavailable(PostgresUnavailableException ex)
    {
        // A plain line on stderr: this is for the person at the terminal, and the logger may not flush before exit.
        Console.Error.WriteLine($"Dashboard cannot start: {ex.Message}");
        return DatabaseUnavailableExitCode;
    }
}
