namespace Dashboard.Web.Hosting;

internal static partial class StartupLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations applied; exiting (--migrate)")]
    public static partial void Migrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard is running ({Roles}). Open {Url} in your browser.")]
    public static partial void Ready(ILogger logger, string roles, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker is running ({Roles}). Health: {Url}healthz, readiness: {Url}readyz")]
    public static partial void WorkerReady(ILogger logger, string roles, string url);
}
