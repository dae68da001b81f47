using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Dashboard.Data.Embedded;

/// <summary>
/// A PostgreSQL server of our own, made from the machine's binaries with <c>initdb</c> and run with <c>pg_ctl</c>
/// on a free loopback port (DESIGN.md §6). The developer run and the tests use it so that nothing has to be set up
/// beforehand. When the process runs as root the server runs as the <c>postgres</c> user, because initdb refuses root.
/// </summary>
public sealed class PrivatePostgresServer : IDisposable
{
    private const string SuperUser = "postgres";
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private int _stopped;

    private PrivatePostgresServer(string binDirectory, string rootDirectory, int port, bool asPostgresUser, bool owned = true)
    {
        _binDirectory = binDirectory;
        RootDirectory = rootDirectory;
        Port = port;
        _asPostgresUser = asPostgresUser;
        OwnsServer = owned;
    }

    /// <summary>
    /// False when another live process started this server and is still using it: then <see cref="Stop"/> leaves it
    /// running for that process.
    /// </summary>
    public bool OwnsServer { get; }

    private string OwnerFile => Path.Combine(RootDirectory, "owner.pid");

    /// <summary>Folder holding the cluster (<c>data/</c>) and the server log (<c>postgres.log</c>).</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public string LogFile => Path.Combine(RootDirectory, "postgres.log");

    public int Port { get; }

    /// <summary>Process id of the postmaster, read from its pid file; null once it has stopped.</summary>
    public int? ServerProcessId
    {
        get
        {
            var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
            if (!File.Exists(pidFile))
            {
                return null;
            }

            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
    }

    /// <summary>
    /// Initialises the cluster when the folder holds none, then starts it. A server already running in the folder is
    /// used rather than started twice: if the process that started it is gone (it was killed), this one takes it
    /// over and stops it on exit; if that process is still alive, the server stays its to stop.
    /// </summary>
    /// <param name="rootDirectory">Folder for the cluster and its log; created when missing.</param>
    /// <param name="binDirectory">Null: look it up (<see cref="PostgresBinaries"/>).</param>
    /// <param name="durable">False turns off fsync: for tests, whose databases are thrown away.</param>
    public static PrivatePostgresServer Start(string rootDirectory, string? binDirectory = null, bool durable = true)
    {
        var bin = PostgresBinaries.Locate(binDirectory)
            ?? throw new PostgresUnavailableException(string.IsNullOrWhiteSpace(binDirectory)
                ? PostgresBinaries.MissingMessage
                : PostgresBinaries.MissingConfiguredMessage(binDirectory));
        var asPostgres = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

        Directory.CreateDirectory(rootDirectory);
        var existing = new PrivatePostgresServer(bin, Path.GetFullPath(rootDirectory), 0, asPostgres);
        if (asPostgres)
        {
            existing.Run("chown", ["-R", $"{SuperUser}:", existing.RootDirectory], asPostgresUser: false);
        }

        if (!File.Exists(Path.Combine(existing.DataDirectory, "PG_VERSION")))
        {
            existing.RunTool("initdb", ["-D", existing.DataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        }

        var runningPort = existing.ReadRunningPort();
        if (runningPort is { } adopted)
        {
            var ownerAlive = existing.ReadOwner() is { } owner && IsAlive(owner);
            var adoptedServer = new PrivatePostgresServer(bin, existing.RootDirectory, adopted, asPostgres, owned: !ownerAlive);
            if (adoptedServer.OwnsServer)
            {
                adoptedServer.WriteOwner();
            }

            return adoptedServer;
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var server = new PrivatePostgresServer(bin, existing.RootDirectory, FreeLoopbackPort(), asPostgres);
            try
            {
                server.RunTool("pg_ctl", [
                    "start", "-D", server.DataDirectory, "-w", "-t", "60", "-l", server.LogFile,
                    "-o", server.ServerOptions(durable),
                ]);
                server.WriteOwner();
                return server;
            }
            catch (PostgresUnavailableException ex)
            {
                // Another program may have taken the port between our probe and the server's bind: try another.
                last = ex;
            }
        }

        throw new PostgresUnavailableException($"The private PostgreSQL did not start; see {existing.LogFile}.", last);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the database unless it exists.</summary>
    public void EnsureDatabase(string database)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (exists.ExecuteScalar() is null)
        {
            // Identifiers cannot be parameters; quote it so any name is safe.
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            create.ExecuteNonQuery();
        }
    }

    /// <summary>Stops the server ("fast": open sessions are disconnected, the data stays consistent).</summary>
    public void Stop()
    {
        if (!OwnsServer || Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (ReadRunningPort() is not null)
        {
            RunTool("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"]);
        }
    }

    /// <summary>Starts the same cluster again on the same port, after <see cref="Stop"/>.</summary>
    public void Restart(bool durable = true)
    {
        RunTool("pg_ctl", ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", LogFile, "-o", ServerOptions(durable)]);
        Interlocked.Exchange(ref _stopped, 0);
    }

    public void Dispose() => Stop();

    private string ServerOptions(bool durable)
    {
        // Loopback TCP only: no Unix socket, whose default folder may not exist or be writable here.
        // A throwaway (non-durable) server is the test suite's: dozens of apps run against it at once, each with its
        // pools (Hangfire and EF, reads, locks, readiness), so it gets room for more sessions than a developer's.
        var options = $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections={(durable ? 300 : 1000).ToString(CultureInfo.InvariantCulture)}";
        return durable ? options : options + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    }

    private void WriteOwner() =>
        File.WriteAllText(OwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    private int? ReadOwner() =>
        File.Exists(OwnerFile) && int.TryParse(File.ReadAllText(OwnerFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private int? ReadRunningPort()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var status = Run(Path.Combine(_binDirectory, "pg_ctl"), ["status", "-D", DataDirectory], _asPostgresUser, throwOnError: false);
        if (status.ExitCode != 0)
        {
            return null;
        }

        // postmaster.pid: pid, data dir, start time, port, ...
        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void RunTool(string tool, IReadOnlyList<string> arguments) =>
        Run(Path.Combine(_binDirectory, tool), arguments, _asPostgresUser);

    private (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments, bool asPostgresUser, bool throwOnError = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgresUser ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RootDirectory,
        };
        if (asPostgresUser)
        {
            foreach (var a in new[] { "-u", SuperUser, "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new PostgresUnavailableException($"Could not run {file}.");
        // pg_ctl start leaves the server holding inherited handles open; read to the end only what the tool itself wrote.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new PostgresUnavailableException($"{Path.GetFileName(file)} did not finish within 120 seconds.");
        }

        var output = (stdout.Wait(TimeSpan.FromSeconds(5)) ? stdout.Result : "") + (stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : "");
        if (throwOnError && process.ExitCode != 0)
        {
            throw new PostgresUnavailableException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output.Trim()}");
        }

        return (process.ExitCode, output);
    }
}
