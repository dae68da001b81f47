using Dashboard.Web.Components.Shared;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Hosting;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Components.Pages.JobMetrics;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Monitoring;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dashboard.IntegrationTests.Web.Jobs;

/// <summary>
/// The dashboard's read timeout (Dashboard:Database:ReadStatementTimeout) on the real read paths and real
/// PostgreSQL. A read is made slow for certain by another session holding an exclusive lock on Hangfire's job table:
/// the read waits for the lock, and statement_timeout counts that wait.
/// </summary>
public sealed class ReadTimeoutTests(PostgresServerFixture postgres)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Reads_StoppedAtTheReadTimeout_With57014_WhichThePagesTurnIntoTheirMessage()
    {
        var connectionString = postgres.CreateDatabase();
        await using var app = App(connectionString);
        var database = app.Services.GetRequiredService<HangfireDatabase>();
        var id = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None));
        var search = new JobSearchQueries(database);
        var details = app.Services.GetRequiredService<IJobDetailsQueries>();
        var overview = app.Services.GetRequiredService<IOverviewQueries>();
        var failures = app.Services.GetRequiredService<ReadFailures>();
        var ct = TestContext.Current.CancellationToken;
        // Unhindered, the same reads answer.
        Assert.Single((await search.FindAsync(new JobFilter(JobType: "Diagnostics"), new JobPageRequest(), ct)).Rows);

        await using var locker = await LockTableAsync(connectionString);

        var searched = await Assert.ThrowsAsync<PostgresException>(() => search.FindAsync(new JobFilter(Text: "order 42"), new JobPageRequest(), ct));
        Assert.Equal(PostgresErrorCodes.QueryCanceled, searched.SqlState);
        var failure = failures.Describe(searched, "The search");
        Assert.True(failure.TimedOut);
        Assert.Equal(
            "The search took longer than 500 ms and was stopped. Narrow the filter (a queue, a state, a shorter time range) and try again.",
            failure.Message);

        // The other read paths of the pages have the same limit.
        Assert.True(ReadFailures.IsStatementTimeout(await Assert.ThrowsAsync<PostgresException>(() => search.CountAsync(new JobFilter(), ct))));
        Assert.True(ReadFailures.IsStatementTimeout(await Assert.ThrowsAsync<PostgresException>(() => search.GroupFailuresAsync(new JobFilter(JobType: "Diagnostics"), 10, ct))));
        Assert.True(ReadFailures.IsStatementTimeout(await Assert.ThrowsAsync<PostgresException>(() => details.FindAsync(id, ct))));
        Assert.True(ReadFailures.IsStatementTimeout(Assert.Throws<PostgresException>(overview.Load)));
    }

    [Fact]
    public async Task AuditSearch_StoppedAtTheReadTimeout()
    {
        var connectionString = postgres.CreateDatabase();
        await using var app = App(connectionString);
        var audit = app.Services.GetRequiredService<IAuditQueries>();
        var ct = TestContext.Current.CancellationToken;
        Assert.Empty((await audit.FindAsync(new AuditFilter(), null, 20, ct)).Rows);

        await using var locker = await LockTableAsync(connectionString, "dashboard.audit_entries");

        var stopped = await Assert.ThrowsAnyAsync<Exception>(() => audit.FindAsync(new AuditFilter(Text: "needle"), null, 20, ct));
        Assert.True(ReadFailures.IsStatementTimeout(stopped), stopped.ToString());
    }

    [Fact]
    public async Task JobMetrics_StoppedAtTheReadTimeout()
    {
        var connectionString = postgres.CreateDatabase();
        await using var app = App(connectionString);
        var metrics = app.Services.GetRequiredService<IJobMetricsQueries>();

        await using var locker = await LockTableAsync(connectionString, "dashboard.job_metrics_minute");

        var stopped = await Assert.ThrowsAnyAsync<Exception>(() => metrics.GetAsync(MetricsWindows.All[0]));
        Assert.True(ReadFailures.IsStatementTimeout(stopped), stopped.ToString());
    }

    [Fact]
    public async Task WorkersWrites_HaveNoReadTimeout_AndOutwaitIt()
    {
        var connectionString = postgres.CreateDatabase();
        await using var app = App(connectionString);
        var database = app.Services.GetRequiredService<HangfireDatabase>();
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal("500ms", await ShowStatementTimeoutAsync(database.OpenRead()));
        Assert.Equal("0", await ShowStatementTimeoutAsync(database.Open()));

        await using (var locker = await LockTableAsync(connectionString))
        {
            // Hangfire's client writes the job through the storage's own connections, which wait for the lock.
            var enqueue = Task.Run(() => client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None)), ct);
            await Task.Delay(ReadTimeout * 3, ct);
            Assert.False(enqueue.IsCompleted, enqueue.IsFaulted ? enqueue.Exception!.ToString() : "the enqueue finished while the job table was locked");
            await locker.DisposeAsync();
            var id = await enqueue.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.Equal(1, await Sql.ScalarAsync<long>(connectionString, $"SELECT count(*) FROM hangfire.job WHERE id = {id}"));
        }
    }

    private static DashboardFactory App(string connectionString)
    {
        var app = new DashboardFactory(connectionString, new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:Database:ReadStatementTimeout"] = "00:00:00.500",
        });
        _ = app.Services;
        return app;
    }

    private static async Task<string> ShowStatementTimeoutAsync(NpgsqlConnection connection)
    {
        await using (connection)
        {
            await using var show = new NpgsqlCommand("SHOW statement_timeout", connection);
            return (string)(await show.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }
    }

    /// <summary>A session holding ACCESS EXCLUSIVE on <paramref name="table"/> until disposed.</summary>
    private static async Task<TableLock> LockTableAsync(string connectionString, string table = "hangfire.job")
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using var lockTable = new NpgsqlCommand($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await lockTable.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new TableLock(connection, transaction);
    }

    private sealed class TableLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private bool _disposed;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
