using Dashboard.Data;
using Dashboard.Data.Database;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Api;
using Dashboard.Web.Components.Pages.ApiKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.IntegrationTests.Web.Administration;

/// <summary>The key check another replica runs: its cache bounds how long a revocation elsewhere takes to count.</summary>
public sealed class DatabaseApiKeysTests(PostgresServerFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AuthenticateAsync_KeyRevokedByAnotherReplica_AcceptedUntilTheCacheExpiresThenRejected()
    {
        using var host = await MigratedAsync();
        var key = await AddKeyAsync(host, "billing");
        var clock = new SettableClock(Start);
        var replica = Keys(host, clock);
        Assert.Equal("billing", (await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken))?.Name);

        await RevokeAsync(host, "billing");

        clock.Now = Start + DatabaseApiKeys.CacheFor - TimeSpan.FromSeconds(1);
        Assert.Equal("billing", (await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken))?.Name);
        clock.Now = Start + DatabaseApiKeys.CacheFor;
        Assert.Null((await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken))?.Name);
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownOrConfiguredStyleKey_ReturnsNull()
    {
        using var host = await MigratedAsync();
        var key = await AddKeyAsync(host, "billing");
        var replica = Keys(host, new SettableClock(Start));

        Assert.Null((await replica.AuthenticateAsync(key[..^1], TestContext.Current.CancellationToken))?.Name);
        Assert.Null((await replica.AuthenticateAsync(key.ToUpperInvariant(), TestContext.Current.CancellationToken))?.Name);
        Assert.Null((await replica.AuthenticateAsync("", TestContext.Current.CancellationToken))?.Name);
    }

    [Fact]
    public async Task AuthenticateAsync_RepeatedUse_LastUsedWrittenAtMostOncePerMinute()
    {
        using var host = await MigratedAsync();
        var key = await AddKeyAsync(host, "billing");
        var clock = new SettableClock(Start);
        var replica = Keys(host, clock);

        await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken);
        clock.Now = Start + TimeSpan.FromSeconds(59);
        await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal(Start, (await StoredAsync(host, "billing")).LastUsedAt);

        clock.Now = Start + DatabaseApiKeys.LastUsedResolution;
        await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal(clock.Now, (await StoredAsync(host, "billing")).LastUsedAt);

        // A restarted replica reads the stored time and does not write again within the minute.
        var restarted = Keys(host, clock);
        clock.Now += TimeSpan.FromSeconds(10);
        await restarted.AuthenticateAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal(Start + DatabaseApiKeys.LastUsedResolution, (await StoredAsync(host, "billing")).LastUsedAt);
    }

    [Fact]
    public async Task AuthenticateAsync_ScopeChangedByAnotherReplica_OldScopeUntilTheCacheExpiresThenNew()
    {
        using var host = await MigratedAsync();
        var key = await AddKeyAsync(host, "billing");
        var clock = new SettableClock(Start);
        var replica = Keys(host, clock);
        var before = (await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken))!.Scope;

        await using (var context = await Contexts(host).CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            await context.ApiKeys.Where(k => k.Name == "billing").ExecuteUpdateAsync(
                s => s.SetProperty(k => k.Jobs, ["diagnostics"]).SetProperty(k => k.Queues, ["low"]).SetProperty(k => k.RequestsPerMinute, 5),
                TestContext.Current.CancellationToken);
        }

        clock.Now = Start + DatabaseApiKeys.CacheFor - TimeSpan.FromSeconds(1);
        var cached = (await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken))!.Scope;
        clock.Now = Start + DatabaseApiKeys.CacheFor;
        var after = (await replica.AuthenticateAsync(key, TestContext.Current.CancellationToken))!.Scope;

        // A key stored before scopes existed (null columns) may enqueue everything at the default rate.
        Assert.Equal((null, null, ApiKeyScope.DefaultRequestsPerMinute), (before.Jobs, before.Queues, before.RequestsPerMinute));
        Assert.Null(cached.Jobs);
        Assert.Equal(["diagnostics"], after.Jobs!);
        Assert.Equal(["low"], after.Queues!);
        Assert.Equal(5, after.RequestsPerMinute);
    }

    private async Task<IHost> MigratedAsync()
    {
        var host = DataServices.Build(postgres.CreateDatabase());
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static DatabaseApiKeys Keys(IHost host, TimeProvider clock) =>
        new(host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>(), clock, NullLogger<DatabaseApiKeys>.Instance);

    private static async Task<string> AddKeyAsync(IHost host, string name)
    {
        var key = ApiKeySecrets.NewKey();
        await using var context = await Contexts(host).CreateDbContextAsync(TestContext.Current.CancellationToken);
        context.ApiKeys.Add(new ApiKey { Name = name, Hash = ApiKeySecrets.HashOf(key), Prefix = key[..12], CreatedAt = Start, CreatedBy = "ada@example.test" });
        await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        return key;
    }

    private static async Task RevokeAsync(IHost host, string name)
    {
        await using var context = await Contexts(host).CreateDbContextAsync(TestContext.Current.CancellationToken);
        await context.ApiKeys.Where(k => k.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, Start).SetProperty(k => k.RevokedBy, "ada@example.test"), TestContext.Current.CancellationToken);
    }

    private static async Task<ApiKey> StoredAsync(IHost host, string name)
    {
        await using var context = await Contexts(host).CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await context.ApiKeys.AsNoTracking().SingleAsync(k => k.Name == name, TestContext.Current.CancellationToken);
    }

    private static IDbContextFactory<DashboardDbContext> Contexts(IHost host) => host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
}
