using Dashboard.Data.Embedded;
using Npgsql;

[assembly: AssemblyFixture(typeof(Dashboard.IntegrationTests.Infrastructure.PostgresServerFixture))]

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// One PostgreSQL for the whole test run (DESIGN.md §6): <c>TEST_POSTGRES</c> when set (a superuser connection
/// string), otherwise a private server in a temp folder, stopped and deleted at the end. Each test class asks for
/// a fresh database of its own.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private string? _adminConnectionString;
    private string? _tempRoot;

    public PrivatePostgresServer? Server { get; private set; }

    public ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            return ValueTask.CompletedTask;
        }

        _tempRoot = TempFolder.Create("pg");
        Server = PrivatePostgresServer.Start(_tempRoot, durable: false);
        _adminConnectionString = Server.ConnectionString("postgres");
        return ValueTask.CompletedTask;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "test_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    public ValueTask DisposeAsync()
    {
        Server?.Stop();
        TempFolder.Delete(_tempRoot);
        return ValueTask.CompletedTask;
    }
}
