using Dashboard.Data.Database;
using Dashboard.IntegrationTests.Infrastructure;
using Npgsql;

namespace Dashboard.IntegrationTests.Data.Database;

/// <summary>The start-up lock (migrations, first administrator) on real PostgreSQL, when its unlock fails.</summary>
public sealed class AdvisoryLockTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task DisposeAsync_UnlockFails_SessionIsEnded_SoTheLockIsReleased()
    {
        var admin = postgres.CreateDatabase();
        var refusing = await UnlockRefusingRole.CreateAsync(admin);
        await UnlockRefusingRole.AssertUnlockIsRefusedAsync(refusing);
        var ct = TestContext.Current.CancellationToken;

        await using (var connection = new NpgsqlConnection(refusing))
        {
            await connection.OpenAsync(ct);
            var exclusive = await AdvisoryLock.AcquireAsync(connection, 0x7465737431, ct);
            Assert.Equal(1, await UnlockRefusingRole.GrantedAdvisoryLocksAsync(admin));
            await exclusive.DisposeAsync();
        }

        // Pooled as it was, the session would keep the lock and the next replica's start-up would wait on it forever.
        await Poll.UntilAsync(async () => await UnlockRefusingRole.GrantedAdvisoryLocksAsync(admin) == 0,
            TimeSpan.FromSeconds(10), "the start-up lock whose unlock failed to be released with its session");
    }
}
