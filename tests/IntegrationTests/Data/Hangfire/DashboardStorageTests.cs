using System.Diagnostics;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Data.Hangfire;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Data.Hangfire;

/// <summary>
/// Hangfire's distributed locks as the app's storage takes them (PostgreSQL advisory locks, DashboardStorage), through
/// Hangfire's own connection API, on real PostgreSQL: exclusion across connections, timeouts, waiting, re-entrance,
/// and release by the server when the holder's session dies; and its job data read (job and parameters at once).
/// </summary>
public sealed class DashboardStorageTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task HeldLock_ExcludesOtherConnections_UntilReleased()
    {
        await using var app = WebOnly(out _);
        var storage = app.Services.GetRequiredService<JobStorage>();
        Assert.IsType<DashboardStorage>(storage);
        using var a = storage.GetConnection();
        using var b = storage.GetConnection();

        var held = a.AcquireDistributedLock("job:1:state-lock", TimeSpan.FromSeconds(1));
        Assert.Throws<PostgreSqlDistributedLockException>(() => b.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero));
        var waited = Stopwatch.StartNew();
        Assert.Throws<PostgreSqlDistributedLockException>(() => b.AcquireDistributedLock("job:1:state-lock", TimeSpan.FromMilliseconds(400)));
        Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(350), $"gave up after {waited.ElapsedMilliseconds} ms, before its timeout");
        // Another resource is not affected.
        b.AcquireDistributedLock("job:2:state-lock", TimeSpan.Zero).Dispose();

        held.Dispose();
        b.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero).Dispose();
    }

    [Fact]
    public async Task LockTimeout_ThrowsHangfirePostgreSqlsException_WhichCallersOfEitherTypeCatch()
    {
        await using var app = WebOnly(out _);
        var storage = app.Services.GetRequiredService<JobStorage>();
        using var a = storage.GetConnection();
        using var b = storage.GetConnection();
        using var held = a.AcquireDistributedLock("job:3:state-lock", TimeSpan.Zero);

        // Without waiting (the server's try-lock) and after waiting (lock_timeout in the server's lock manager).
        foreach (var timeout in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(200) })
        {
            var thrown = Assert.Throws<PostgreSqlDistributedLockException>(() => b.AcquireDistributedLock("job:3:state-lock", timeout));
            Assert.IsAssignableFrom<DistributedLockTimeoutException>(thrown);
            Assert.Equal("job:3:state-lock", thrown.Resource);
        }
    }

    [Fact]
    public async Task Waiter_GetsTheLockWhenTheHolderReleasesIt()
    {
        await using var app = WebOnly(out _);
        var storage = app.Services.GetRequiredService<JobStorage>();
        using var a = storage.GetConnection();
        using var b = storage.GetConnection();
        var held = a.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero);

        var waiter = Task.Run(() => b.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromSeconds(30)), TestContext.Current.CancellationToken);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.False(waiter.IsCompleted, "the waiter got a lock that is held");
        held.Dispose();
        using var got = await waiter.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Throws<PostgreSqlDistributedLockException>(() => a.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero));
    }

    [Fact]
    public async Task SameConnection_ReentersItsOwnLock_ReleasedWithTheLastHandle()
    {
        await using var app = WebOnly(out _);
        var storage = app.Services.GetRequiredService<JobStorage>();
        using var a = storage.GetConnection();
        using var b = storage.GetConnection();

        var outer = a.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero);
        var inner = a.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero);
        inner.Dispose();
        inner.Dispose();
        Assert.Throws<PostgreSqlDistributedLockException>(() => b.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero));
        outer.Dispose();
        b.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero).Dispose();
    }

    [Fact]
    public async Task HolderSessionDies_ServerReleasesTheLock()
    {
        await using var app = WebOnly(out var connectionString);
        var storage = app.Services.GetRequiredService<JobStorage>();
        using var a = storage.GetConnection();
        using var b = storage.GetConnection();
        var held = a.AcquireDistributedLock("job:9:state-lock", TimeSpan.Zero);

        // What a kill -9 of the holding process does to its session.
        var killed = await Sql.ScalarAsync<long>(connectionString,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        Assert.Equal(1, killed);
        using (var got = b.AcquireDistributedLock("job:9:state-lock", TimeSpan.FromSeconds(10)))
        {
            Assert.NotNull(got);
        }

        held.Dispose();
    }

    [Fact]
    public async Task UnlockFails_SessionIsEnded_SoTheLockIsReleased()
    {
        var admin = postgres.CreateDatabase();
        var refusing = await UnlockRefusingRole.CreateAsync(admin);
        await UnlockRefusingRole.AssertUnlockIsRefusedAsync(refusing);
        var locks = new AdvisoryLocks(AdvisoryLocks.OwnPool(refusing), "hangfire");

        var held = locks.Acquire("job:11:state-lock", TimeSpan.Zero);
        Assert.Equal(1, await UnlockRefusingRole.GrantedAdvisoryLocksAsync(admin));
        held.Dispose();

        // Back in the pool, the session would keep the lock for as long as the process runs.
        await Poll.UntilAsync(async () => await UnlockRefusingRole.GrantedAdvisoryLocksAsync(admin) == 0,
            TimeSpan.FromSeconds(10), "the lock whose unlock failed to be released with its session");
        // The pool goes on: the next lock is taken on a new session.
        using (locks.Acquire("job:11:state-lock", TimeSpan.Zero))
        {
            Assert.Equal(1, await UnlockRefusingRole.GrantedAdvisoryLocksAsync(admin));
        }
    }

    [Fact]
    public async Task JobData_ReadsAsHangfirePostgreSqlDoes_PlusTheParameters()
    {
        await using var app = WebOnly(out var connectionString);
        var storage = (PostgreSqlStorage)app.Services.GetRequiredService<JobStorage>();
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var id = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(5, 0, 0), CancellationToken.None));
        var gone = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        await Sql.ExecuteAsync(connectionString,
            $"UPDATE hangfire.job SET invocationdata = jsonb_set(invocationdata, '{{Type}}', '\"Dashboard.Jobs.Retired.GoneJob, Dashboard.Jobs\"') WHERE id = {gone}");

        using var ours = storage.GetConnection();
        using var stock = new PostgreSqlConnection(storage);
        Assert.IsType<DashboardStorageConnection>(ours);

        var read = ours.GetJobData(id)!;
        var expected = stock.GetJobData(id)!;
        Assert.Equal(expected.State, read.State);
        Assert.Equal(expected.CreatedAt, read.CreatedAt);
        Assert.Equal(expected.Job.Type, read.Job.Type);
        Assert.Equal(expected.Job.Method, read.Job.Method);
        Assert.Equal(expected.Job.Args[0], read.Job.Args[0]);
        Assert.Equal(5, ((DiagnosticsArgs)read.Job.Args[0]).SleepMs);
        Assert.Null(read.LoadException);
        // Every stored parameter, as Hangfire's own per-name read returns it.
        var names = await Sql.ScalarAsync<string[]>(connectionString, $"SELECT array_agg(name) FROM hangfire.jobparameter WHERE jobid = {id}");
        Assert.Contains("CurrentCulture", names);
        Assert.Equal(names.Order(), read.ParametersSnapshot.Keys.Order());
        Assert.All(names, n => Assert.Equal(stock.GetJobParameter(id, n), read.ParametersSnapshot[n]));

        var unloadable = ours.GetJobData(gone)!;
        Assert.Null(unloadable.Job);
        Assert.NotNull(unloadable.LoadException);
        Assert.Equal(stock.GetJobData(gone)!.LoadException!.Message, unloadable.LoadException.Message);
        Assert.Null(ours.GetJobData("999999"));
    }

    [Fact]
    public async Task JobQueueProperty_WhichTheStorageAdvertises_IsStoredAndReadBack()
    {
        await using var app = WebOnly(out _);
        var storage = (PostgreSqlStorage)app.Services.GetRequiredService<JobStorage>();
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        Assert.True(storage.HasFeature(JobStorageFeatures.JobQueueProperty));

        // Hangfire.Core refuses a job with its own queue unless the storage says it keeps it.
        var id = client.Enqueue<DiagnosticsJob>("low", j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        var plain = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));

        using var ours = storage.GetConnection();
        using var stock = new PostgreSqlConnection(storage);
        Assert.Equal("low", ours.GetJobData(id)!.Job.Queue);
        Assert.Equal("low", stock.GetJobData(id)!.Job.Queue);
        Assert.Null(ours.GetJobData(plain)!.Job.Queue);
    }

    private DashboardFactory WebOnly(out string connectionString)
    {
        connectionString = postgres.CreateDatabase();
        var app = new DashboardFactory(connectionString, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        _ = app.Services;
        return app;
    }
}
