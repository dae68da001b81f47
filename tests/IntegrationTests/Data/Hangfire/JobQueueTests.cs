using System.Collections.Concurrent;
using System.Diagnostics;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Data.Hangfire;
using Dashboard.Jobs.Model;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Data.Hangfire;

/// <summary>
/// The job queue (DashboardJobQueue) on real PostgreSQL, driven directly in a web-only process (no Hangfire server
/// competes for the rows). The fallback poll is a minute, so anything that arrives in seconds was woken by a
/// notification.
/// </summary>
public sealed class JobQueueTests(PostgresServerFixture postgres)
{
    private static readonly string[] Served = ["critical", "default", "low"];
    private static readonly TimeSpan WakeBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ServedQueues_UseOurQueue_OthersTheStockOne_MonitoringListsEachQueueOnce()
    {
        await using var app = WebOnly(out var connectionString);
        var storage = (PostgreSqlStorage)app.Services.GetRequiredService<JobStorage>();
        Assert.All(Served, q => Assert.IsType<DashboardJobQueueProvider>(storage.QueueProviders.GetProvider(q)));
        Assert.IsType<PostgreSqlJobQueueProvider>(storage.QueueProviders.GetProvider("elsewhere"));

        var enqueuer = app.Services.GetRequiredService<JobEnqueuer>();
        var diagnostics = app.Services.GetRequiredService<JobCatalog>().Find("diagnostics")!;
        enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "default");
        enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "low");
        enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "elsewhere");

        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(["default", "elsewhere", "low"], monitoring.Queues().Select(q => q.Name).Order());
        Assert.Equal(3, monitoring.GetStatistics().Queues);
        Assert.Equal(1, monitoring.EnqueuedCount("default"));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NULL"));
    }

    [Fact]
    public async Task Dequeue_TakesByQueueNameThenAge_HidesWhatItFetched_RequeuesWhatItDidNotFinish()
    {
        await using var app = WebOnly(out var connectionString);
        var queue = QueueOf(app);
        var enqueuer = app.Services.GetRequiredService<JobEnqueuer>();
        var diagnostics = app.Services.GetRequiredService<JobCatalog>().Find("diagnostics")!;
        var low = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "low");
        var critical1 = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "critical");
        var critical2 = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "critical");

        using var first = queue.Dequeue(Served, TestContext.Current.CancellationToken);
        using var second = queue.Dequeue(Served, TestContext.Current.CancellationToken);
        var third = queue.Dequeue(Served, TestContext.Current.CancellationToken);
        Assert.Equal([critical1, critical2, low], [first.JobId, second.JobId, third.JobId]);
        Assert.Equal("low", Assert.IsType<PostgreSqlFetchedJob>(third).Queue);
        Assert.Equal(3L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NOT NULL"));

        // Nothing left that is not fetched: a dequeue waits (and gives up when cancelled).
        using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => queue.Dequeue(Served, cancel.Token));
        }

        first.RemoveFromQueue();
        third.Dispose();
        Assert.Equal(1L, await Sql.ScalarAsync<long>(connectionString, $"SELECT count(*) FROM hangfire.jobqueue WHERE jobid = {low} AND fetchedat IS NULL"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(connectionString, $"SELECT count(*) FROM hangfire.jobqueue WHERE jobid = {critical1}"));
        using var again = queue.Dequeue(Served, TestContext.Current.CancellationToken);
        Assert.Equal(low, again.JobId);
    }

    [Fact]
    public async Task WaitingDequeue_WokenByAnEnqueueLongBeforeThePoll()
    {
        await using var app = WebOnly(out _);
        var queue = QueueOf(app);
        var enqueuer = app.Services.GetRequiredService<JobEnqueuer>();
        var diagnostics = app.Services.GetRequiredService<JobCatalog>().Find("diagnostics")!;

        var waiting = Task.Run(() => queue.Dequeue(Served, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await Poll.UntilAsync(() => app.Services.GetRequiredService<QueueNotifications>().IsListening, WakeBound, "the listener to listen");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        var clock = Stopwatch.StartNew();
        var id = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "default");
        using var fetched = await waiting.WaitAsync(WakeBound, TestContext.Current.CancellationToken);
        Assert.Equal(id, fetched.JobId);
        TestContext.Current.TestOutputHelper?.WriteLine($"woken {clock.ElapsedMilliseconds} ms after the enqueue (poll: 1 min)");
    }

    [Fact]
    public async Task ListeningConnectionKilled_WaitingDequeueStillGetsTheJob_AndNotificationsResume()
    {
        await using var app = WebOnly(out var connectionString);
        var queue = QueueOf(app);
        var notifications = app.Services.GetRequiredService<QueueNotifications>();
        var enqueuer = app.Services.GetRequiredService<JobEnqueuer>();
        var diagnostics = app.Services.GetRequiredService<JobCatalog>().Find("diagnostics")!;
        var ct = TestContext.Current.CancellationToken;

        var waiting = Task.Run(() => queue.Dequeue(Served, ct), ct);
        await Poll.UntilAsync(() => notifications.IsListening, WakeBound, "the listener to listen");

        // What stranded jobs with the stock queue: the listening connection dies while a dequeue waits.
        var killed = await Sql.ScalarAsync<long>(connectionString,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
        Assert.Equal(1, killed);
        await Poll.UntilAsync(async () => notifications.IsListening && await Sql.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'") == 1, WakeBound, "the listener to reconnect");
        Assert.False(waiting.IsFaulted, waiting.Exception?.ToString());

        var id = enqueuer.Enqueue(diagnostics, new DiagnosticsArgs(), "default");
        var fetched = await waiting.WaitAsync(WakeBound, ct);
        Assert.Equal(id, fetched.JobId);

        // The fetched job is the worker's: given back, it is visible again; nothing is left hidden.
        fetched.Dispose();
        Assert.Equal(0L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NOT NULL"));
    }

    /// <summary>
    /// The stranding regression. The stock queue, in this same drain, left a worker blocked in its dequeue for good
    /// with the job it had fetched (its per-call listener stuck in a wait its cancellation did not end) in two runs
    /// of three; the job stays fetched, kept invisible by the sliding heartbeat, and never runs.
    /// </summary>
    [Fact]
    public async Task TwentyWorkersDrainingFourThousandRows_TakeEachExactlyOnce_NoneLeftFetched()
    {
        await using var app = WebOnly(out var connectionString);
        var queue = QueueOf(app);
        var ct = TestContext.Current.CancellationToken;
        const int rows = 4_000;
        await Sql.ExecuteAsync(connectionString, $"INSERT INTO hangfire.jobqueue (jobid, queue) SELECT g, 'default' FROM generate_series(1, {rows}) g");

        var taken = new ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
        {
            while (taken.Count < rows)
            {
                using var idle = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    using var fetched = queue.Dequeue(Served, idle.Token);
                    fetched.RemoveFromQueue();
                    taken.Add(fetched.JobId);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, ct)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120), ct);
        Assert.Equal(rows, taken.Count);
        Assert.Equal(rows, taken.Distinct().Count());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM hangfire.jobqueue"));
    }

    [Fact]
    public async Task Announce_ABurstSendsAFewNotifications_AndTheLastCallIsAlwaysAnswered()
    {
        await using var app = WebOnly(out var connectionString);
        var notifications = app.Services.GetRequiredService<QueueNotifications>();
        var ct = TestContext.Current.CancellationToken;
        await using var listener = new Npgsql.NpgsqlConnection(connectionString);
        await listener.OpenAsync(ct);
        var received = 0;
        listener.Notification += (_, _) => Interlocked.Increment(ref received);
        await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {QueueNotifications.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        async Task<int> ReceivedAfterQuietAsync()
        {
            // Notifications arrive while the connection waits; a second of silence ends the count.
            while (await listener.WaitAsync(TimeSpan.FromSeconds(1), ct))
            {
            }

            return Volatile.Read(ref received);
        }

        for (var i = 0; i < 1_000; i++)
        {
            notifications.Announce();
        }

        var afterBurst = await ReceivedAfterQuietAsync();
        Assert.InRange(afterBurst, 1, 100);
        // Idle again: one call, one notification, at once.
        notifications.Announce();
        Assert.Equal(afterBurst + 1, await ReceivedAfterQuietAsync());
    }

    private DashboardFactory WebOnly(out string connectionString)
    {
        connectionString = postgres.CreateDatabase();
        var app = new DashboardFactory(connectionString, new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:Hangfire:QueuePollInterval"] = "00:01:00",
        });
        _ = app.Services;
        return app;
    }

    private static IPersistentJobQueue QueueOf(DashboardFactory app) =>
        ((PostgreSqlStorage)app.Services.GetRequiredService<JobStorage>()).QueueProviders.GetProvider("default").GetJobQueue();
}
