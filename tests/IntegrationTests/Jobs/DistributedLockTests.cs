using System.Diagnostics;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Hosting;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs;

/// <summary>
/// Hangfire's distributed locks as the app's storage takes them (PostgreSQL advisory locks, DashboardStorage), through
/// Hangfire's own connection API, on real PostgreSQL: exclusion across connections, timeouts, waiting, re-entrance,
/// and release by the server when the holder's session dies.
/// </summary>
public sealed class DistributedLockTests(PostgresServerFixture postgres)
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
        Assert.Throws<DistributedLockTimeoutException>(() => b.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero));
        var waited = Stopwatch.StartNew();
        Assert.Throws<DistributedLockTimeoutException>(() => b.AcquireDistributedLock("job:1:state-lock", TimeSpan.FromMilliseconds(400)));
        Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(350), $"gave up after {waited.ElapsedMilliseconds} ms, before its timeout");
        // Another resource is not affected.
        b.AcquireDistributedLock("job:2:state-lock", TimeSpan.Zero).Dispose();

        held.Dispose();
        b.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero).Dispose();
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
        Assert.Throws<DistributedLockTimeoutException>(() => a.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero));
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
        Assert.Throws<DistributedLockTimeoutException>(() => b.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero));
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

    private DashboardFactory WebOnly(out string connectionString)
    {
        connectionString = postgres.CreateDatabase();
        var app = new DashboardFactory(connectionString, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        _ = app.Services;
        return app;
    }
}
