using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Dashboard.Data.Database;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dashboard.IntegrationTests.Scale;

/// <summary>
/// Several real app processes (<see cref="AppProcess"/>) on one fresh PostgreSQL database, all on 127.0.0.1, plus an
/// in-process Hangfire client to enqueue jobs and read their states. Disposing it kills whatever is still running.
/// </summary>
internal sealed class ScaleCluster : IAsyncDisposable
{
    public const string ApiKey = "scale-tests-key-0123456789abcdef";
    public const string AdminEmail = "ops@example.test";
    public const string AdminPassword = "Ops-Passw0rd-for-scale-tests";

    /// <summary>Start-up of a process on a busy 2-core machine: JIT, migration check, Hangfire server announce.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly IHost _producer;
    private readonly List<ClusterNode> _nodes = [];

    private ScaleCluster(string connectionString, IHost producer)
    {
        ConnectionString = connectionString;
        _producer = producer;
    }

    public string ConnectionString { get; }

    public JobStorage Storage => _producer.Services.GetRequiredService<JobStorage>();

    public static async Task<ScaleCluster> CreateAsync(PostgresServerFixture postgres)
    {
        var connectionString = postgres.CreateDatabase();
        var producer = DataServices.Build(connectionString);
        await producer.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return new ScaleCluster(connectionString, producer);
    }

    /// <summary>
    /// Starts the app with <paramref name="roles"/> and waits until it serves HTTP and, for a worker, until its
    /// Hangfire server is registered. Two workers per process keep capacity small enough that processes count.
    /// </summary>
    public async Task<ClusterNode> StartAsync(string roles, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = ConnectionString,
            ["Dashboard__Roles"] = roles,
            ["Dashboard__Hangfire__WorkerCount"] = "2",
            // Long polling wakes idle workers; the poll only covers a notification missed during a reconnect.
            ["Dashboard__Hangfire__QueuePollInterval"] = "00:00:00.500",
            ["Dashboard__ApiKeys__scaletests"] = ApiKey,
            ["Dashboard__Admin__Email"] = AdminEmail,
            ["Dashboard__Admin__Password"] = AdminPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var process = AppProcess.Start(environment);
        var node = new ClusterNode(process, await process.WaitForUrlAsync(StartTimeout));
        _nodes.Add(node);
        if (roles.Contains("worker", StringComparison.Ordinal))
        {
            await Poll.UntilAsync(async () => (await ServerIdsAsync(node)).Count == 1, StartTimeout, $"the Hangfire server of process {node.Pid} to register");
        }

        return node;
    }

    public string EnqueueDiagnostics(int sleepMs) =>
        _producer.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(sleepMs, 0, 0), CancellationToken.None));

    public List<string> EnqueueDiagnostics(int count, int sleepMs) =>
        [.. Enumerable.Range(0, count).Select(_ => EnqueueDiagnostics(sleepMs))];

    /// <summary>Hangfire server ids of a process: Hangfire names them host:pid:guid.</summary>
    public async Task<List<string>> ServerIdsAsync(ClusterNode node) =>
        await ReadAsync(
            "SELECT id FROM hangfire.server WHERE split_part(id, ':', 2) = @pid ORDER BY id",
            c => c.Parameters.AddWithValue("pid", node.Pid.ToString(CultureInfo.InvariantCulture)),
            r => r.GetString(0));

    public Task<long> ServerCountAsync() => Sql.ScalarAsync<long>(ConnectionString, "SELECT count(*) FROM hangfire.server");

    /// <summary>Every state a job went through, from Hangfire's own history: what ran, where, and how often.</summary>
    public async Task<Dictionary<string, JobRuns>> RunsAsync(IReadOnlyCollection<string> jobIds)
    {
        var rows = await ReadAsync(
            """
            SELECT j.id, j.statename,
                   count(*) FILTER (WHERE s.name = 'Processing'),
                   count(*) FILTER (WHERE s.name = 'Succeeded'),
                   coalesce(array_agg(s.data->>'ServerId' ORDER BY s.id) FILTER (WHERE s.name = 'Processing'), '{}')
            FROM hangfire.job j JOIN hangfire.state s ON s.jobid = j.id
            WHERE j.id = ANY(@ids)
            GROUP BY j.id, j.statename
            """,
            c => c.Parameters.AddWithValue("ids", jobIds.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray()),
            r => new JobRuns(r.GetInt64(0).ToString(CultureInfo.InvariantCulture), r.GetString(1), (int)r.GetInt64(2), (int)r.GetInt64(3), r.GetFieldValue<string[]>(4)));
        return rows.ToDictionary(r => r.JobId);
    }

    public Task WaitAllSucceededAsync(IReadOnlyCollection<string> jobIds, TimeSpan timeout) =>
        Poll.UntilAsync(
            async () => (await RunsAsync(jobIds)).Values.Count(r => r.State == "Succeeded") == jobIds.Count,
            timeout,
            $"all {jobIds.Count} jobs to succeed");

    /// <summary>Seconds from the first job starting to the last one finishing, on the database's clock.</summary>
    public Task<double> BatchSecondsAsync(IReadOnlyCollection<string> jobIds) =>
        Sql.ScalarAsync<double>(ConnectionString, $"""
            SELECT extract(epoch FROM max(createdat) FILTER (WHERE name = 'Succeeded') - min(createdat) FILTER (WHERE name = 'Processing'))
            FROM hangfire.state WHERE jobid IN ({string.Join(',', jobIds.Select(id => long.Parse(id, CultureInfo.InvariantCulture)))})
            """);

    public static async Task<HttpResponseMessage> PostDiagnosticsAsync(ClusterNode node, int sleepMs, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/jobs/diagnostics", UriKind.Relative))
        {
            Content = new StringContent($$"""{ "sleepMs": {{sleepMs}} }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return await node.Http.SendAsync(request, ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _producer.Dispose();
    }

    private async Task<List<T>> ReadAsync<T>(string sql, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

/// <summary>One job's history: its current state, how often it started and succeeded, and the servers it ran on.</summary>
internal sealed record JobRuns(string JobId, string State, int Processing, int Succeeded, string[] ProcessingServers);

/// <summary>An app process of the cluster and an HTTP client pointed at it.</summary>
internal sealed class ClusterNode(AppProcess process, Uri url) : IAsyncDisposable
{
    public AppProcess Process { get; } = process;

    public Uri Url { get; } = url;

    public int Pid => Process.ProcessId;

    // Generous: a request to a process whose database just went away must answer, not hang, but may be slow.
    public HttpClient Http { get; } = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<int> StatusOfAsync(string path, CancellationToken ct)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative), ct);
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
