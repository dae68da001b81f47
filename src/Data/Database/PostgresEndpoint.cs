using Dashboard.Data.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Data.Database;

/// <summary>
/// The PostgreSQL this process talks to: the configured <c>ConnectionStrings:Postgres</c>, or, when that is empty and
/// the embedded server is allowed, a private server started here and stopped when the process ends.
/// Everything that opens a connection (EF Core, Hangfire, health checks) takes the string from here.
/// </summary>
public sealed partial class PostgresEndpoint : IDisposable
{
    public const string ConnectionStringName = "Postgres";

    private PostgresEndpoint(string connectionString, PrivatePostgresServer? embedded, DatabaseOptions options)
    {
        ConnectionString = connectionString;
        ReadConnectionString = ConnectionStringTuning.ForReads(connectionString, options.ReadStatementTimeout);
        Embedded = embedded;
    }

    /// <summary>The tuned connection string (<see cref="ConnectionStringTuning"/>).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The same database for the dashboard's reads only: every session starts with
    /// <see cref="DatabaseOptions.ReadStatementTimeout"/> as its <c>statement_timeout</c>, in a pool of its own,
    /// so the setting never reaches a connection that Hangfire or a worker uses.
    /// </summary>
    public string ReadConnectionString { get; }

    /// <summary>The private server, when this process started one.</summary>
    public PrivatePostgresServer? Embedded { get; }

    public static PostgresEndpoint Create(IConfiguration configuration, IHostEnvironment environment, DatabaseOptions options, ILogger logger)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresEndpoint(ConnectionStringTuning.Apply(configured, options), null, options);
        }

        var embeddedAllowed = options.Embedded.Enabled ?? environment.IsDevelopment();
        if (!embeddedAllowed)
        {
            throw new PostgresUnavailableException(
                "ConnectionStrings:Postgres is not set. Set it (environment variable ConnectionStrings__Postgres) to your PostgreSQL server; " +
                "the private embedded server is only started in Development or with Dashboard:Database:Embedded:Enabled=true.");
        }

        var directory = string.IsNullOrWhiteSpace(options.Embedded.Directory)
            ? DefaultEmbeddedDirectory()
            : Path.GetFullPath(options.Embedded.Directory);
        LogStartingEmbedded(logger, directory);
        var server = PrivatePostgresServer.Start(directory, options.Embedded.BinDirectory);
        try
        {
            server.EnsureDatabase(options.Embedded.DatabaseName);
        }
        catch
        {
            server.Stop();
            throw;
        }

        LogEmbeddedStarted(logger, server.Port, options.Embedded.DatabaseName);
        return new PostgresEndpoint(ConnectionStringTuning.Apply(server.ConnectionString(options.Embedded.DatabaseName), options), server, options);
    }

    public void Dispose() => Embedded?.Stop();

    /// <summary><c>.data/postgres</c> at the repository root (git-ignored); the temp folder outside a checkout.</summary>
    internal static string DefaultEmbeddedDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
                {
                    return Path.Combine(dir.FullName, ".data", "postgres");
                }
            }
        }

        return Path.Combine(Path.GetTempPath(), "dashboard-postgres");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No ConnectionStrings:Postgres set: starting the private PostgreSQL in {Directory}")]
    private static partial void LogStartingEmbedded(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL listening on 127.0.0.1:{Port}, database {Database}")]
    private static partial void LogEmbeddedStarted(ILogger logger, int port, string database);
}
