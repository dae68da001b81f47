using Dashboard.Data.Database;
using Dashboard.Data.Hangfire;
using Dashboard.Jobs.Hosting;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Jobs.Tests.Hosting;

/// <summary>
/// Storages built as the host builds them, on a server nobody listens to: nothing here opens a connection
/// (the schema is installed by our migration step, so the storages do not initialise eagerly).
/// </summary>
internal static class TestStorage
{
    public const string ConnectionString = "Host=127.0.0.1;Port=1;Database=none;Username=none";

    public static PostgreSqlStorageOptions Options() => JobsHostingExtensions.StorageOptions(new HangfireOptions());

    public static QueueNotifications Notifications()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = ConnectionString })
            .Build();
        var endpoint = PostgresEndpoint.Create(configuration, new Environment(), new DatabaseOptions(), NullLogger.Instance);
        return new QueueNotifications(endpoint, NullLogger<QueueNotifications>.Instance);
    }

    public static DashboardStorage Dashboard(QueueNotifications notifications) => new(ConnectionString, Options(), notifications);

    public static PostgreSqlStorage Package()
    {
        var options = Options();
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(ConnectionString, options, null), options);
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "Dashboard.Jobs.Tests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
