using Dashboard.Data.Embedded;
using Dashboard.IntegrationTests.Infrastructure;
using Npgsql;

namespace Dashboard.IntegrationTests.Data.Database;

public sealed class PrivatePostgresServerTests
{
    [Fact]
    public async Task Start_EmptyFolder_InitialisesServesAndStops()
    {
        var root = TempFolder.Create("launcher");
        try
        {
            var server = PrivatePostgresServer.Start(root, durable: false);
            server.EnsureDatabase("launcher_check");
            server.EnsureDatabase("launcher_check"); // a second call finds it and does nothing

            await using (var connection = new NpgsqlConnection(server.ConnectionString("launcher_check")))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var command = new NpgsqlCommand("SELECT current_database()", connection);
                Assert.Equal("launcher_check", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
            }

            Assert.True(File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")));
            var pid = server.ServerProcessId;
            Assert.NotNull(pid);

            server.Stop();

            Assert.Null(server.ServerProcessId);
            await Poll.UntilAsync(() => !ProcessInfo.IsAlive(pid.Value), TimeSpan.FromSeconds(10), "the postmaster to exit after Stop");
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void Start_ServerRunningForALiveProcess_SharesItAndLeavesItRunning()
    {
        var root = TempFolder.Create("share");
        try
        {
            var first = PrivatePostgresServer.Start(root, durable: false);
            var second = PrivatePostgresServer.Start(root, durable: false);

            Assert.Equal(first.Port, second.Port);
            Assert.Equal(first.ServerProcessId, second.ServerProcessId);
            Assert.True(first.OwnsServer);
            Assert.False(second.OwnsServer);

            second.Stop();
            Assert.NotNull(first.ServerProcessId);

            first.Stop();
            Assert.Null(first.ServerProcessId);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void Start_ServerLeftByAKilledProcess_TakesItOverAndStopsIt()
    {
        var root = TempFolder.Create("orphan");
        try
        {
            var first = PrivatePostgresServer.Start(root, durable: false);
            // No process has this pid: the owner is gone, as after kill -9 of the app.
            File.WriteAllText(Path.Combine(root, "owner.pid"), "2147483600");

            var second = PrivatePostgresServer.Start(root, durable: false);

            Assert.Equal(first.Port, second.Port);
            Assert.True(second.OwnsServer);
            second.Stop();
            Assert.Null(second.ServerProcessId);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void Start_NoBinariesInConfiguredFolder_ExplainsBothFixes()
    {
        var root = TempFolder.Create("nobin");
        try
        {
            var error = Assert.Throws<PostgresUnavailableException>(() => PrivatePostgresServer.Start(root, binDirectory: root));

            Assert.Contains("install PostgreSQL", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("ConnectionStrings__Postgres", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void Locate_NothingConfigured_FindsInitdbAndPgCtl()
    {
        var bin = PostgresBinaries.Locate(null);

        Assert.NotNull(bin);
        Assert.True(File.Exists(Path.Combine(bin, "initdb")));
        Assert.True(File.Exists(Path.Combine(bin, "pg_ctl")));
    }
}
