using Dashboard.Data.Embedded;
using Npgsql;

namespace Dashboard.Bench;

/// <summary>
/// The one private PostgreSQL of a benchmark run (the launcher the app and the tests use), with
/// <c>pg_stat_statements</c> loaded so statement counts come from the server rather than from a stopwatch.
/// </summary>
internal sealed class BenchPostgres : IDisposable
{
    private readonly PrivatePostgresServer _server;
    private readonly string _root;
    private int _databases;

    private BenchPostgres(PrivatePostgresServer server, string root, bool durable)
    {
        _server = server;
        _root = root;
        Durable = durable;
    }

    public bool Durable { get; }

    public string Version { get; private set; } = "";

    public static BenchPostgres Start(bool durable)
    {
        var root = Path.Combine(Path.GetTempPath(), "dashboard-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var server = PrivatePostgresServer.Start(root, durable: durable);
        var bench = new BenchPostgres(server, root, durable);
        try
        {
            // The launcher takes no extra settings; ALTER SYSTEM lands in postgresql.auto.conf, read on restart.
            bench.Admin("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            server.Stop();
            server.Restart(durable);
            bench.Admin("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            bench.Version = bench.Scalar<string>("SHOW server_version");
            return bench;
        }
        catch
        {
            bench.Dispose();
            throw;
        }
    }

    /// <summary>A fresh, empty database for one scenario; its settings (ALTER DATABASE ... SET) stay its own.</summary>
    public string CreateDatabase(string scenario, params string[] settings)
    {
        var name = $"b{Interlocked.Increment(ref _databases)}_{new string(scenario.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant()}";
        Admin($"CREATE DATABASE {name}");
        foreach (var setting in settings)
        {
            Admin($"ALTER DATABASE {name} SET {setting}");
        }

        return _server.ConnectionString(name);
    }

    /// <summary>Statements executed and transactions committed in one database so far (server-side counters).</summary>
    public ServerCounters Counters(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        using var connection = new NpgsqlConnection(_server.ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(
            """
            SELECT (SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                    WHERE d.datname = @db),
                   (SELECT xact_commit FROM pg_stat_database WHERE datname = @db)
            """,
            connection);
        command.Parameters.AddWithValue("db", database);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new ServerCounters(reader.GetInt64(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1));
    }

    /// <summary>The statements a database ran most often, whitespace collapsed, for the per-job breakdown.</summary>
    public IReadOnlyList<(string Query, long Calls)> TopStatements(string connectionString, int count)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        using var connection = new NpgsqlConnection(_server.ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(
            """
            SELECT regexp_replace(s.query, '\s+', ' ', 'g'), sum(s.calls)::bigint FROM pg_stat_statements s
            JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = @db
            GROUP BY 1 ORDER BY 2 DESC LIMIT @n
            """,
            connection);
        command.Parameters.AddWithValue("db", database);
        command.Parameters.AddWithValue("n", count);
        using var reader = command.ExecuteReader();
        var top = new List<(string, long)>();
        while (reader.Read())
        {
            top.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return top;
    }

    /// <summary>Closes this process's pooled connections first, so their backends exit and flush their commit counts.</summary>
    public async Task<ServerCounters> SettledCountersAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return Counters(connectionString);
    }

    public void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(_server.ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql)
    {
        using var connection = new NpgsqlConnection(_server.ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _server.Stop();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Owned by the postgres user when running as root; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// pg_stat_statements calls and pg_stat_database commits. Commits are flushed by each backend when it goes idle or
/// exits, so a reading is exact only once the scenario's connections are closed.
/// </summary>
internal readonly record struct ServerCounters(long Statements, long Commits)
{
    public static ServerCounters operator -(ServerCounters a, ServerCounters b) => new(a.Statements - b.Statements, a.Commits - b.Commits);
}
