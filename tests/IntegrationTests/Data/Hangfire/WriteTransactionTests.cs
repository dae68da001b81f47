using System.Transactions;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Data.Hangfire;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dashboard.IntegrationTests.Data.Hangfire;

/// <summary>
/// The app's write transaction (<see cref="DashboardWriteTransaction"/>: one batch, one implicit transaction) against
/// Hangfire.PostgreSql's own, on two fresh databases of real PostgreSQL: the same calls must leave the same rows.
/// </summary>
public sealed class WriteTransactionTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task EveryWrite_LeavesTheTablesAsHangfirePostgreSqlDoes()
    {
        await using var oursApp = WebOnly(out var oursDb);
        await using var stockApp = WebOnly(out var stockDb);
        var oursStorage = (PostgreSqlStorage)oursApp.Services.GetRequiredService<JobStorage>();
        var stockStorage = (PostgreSqlStorage)stockApp.Services.GetRequiredService<JobStorage>();
        using var ours = oursStorage.GetConnection();
        using var stock = new PostgreSqlConnection(stockStorage);
        Assert.IsType<DashboardWriteTransaction>(ours.CreateWriteTransaction());
        Assert.IsType<PostgreSqlWriteOnlyTransaction>(stock.CreateWriteTransaction());

        // The same state objects on both sides, so their serialized data (with its timestamps) is the same.
        var enqueued = new EnqueuedState("default") { Reason = "first" };
        var failed = new FailedState(new InvalidOperationException("boom")) { Reason = "attempt 1" };
        var succeeded = new SucceededState(42, 5, 7);
        var createdAt = DateTime.UtcNow;
        foreach (var connection in new IStorageConnection[] { ours, stock })
        {
            var job = Job.FromExpression(() => Console.WriteLine("x"));
            var parameters = new Dictionary<string, string?> { ["p"] = "1", ["n"] = null };
            // Ours writes the job and its parameters in one statement; then both set parameters the same way.
            var id = connection.CreateExpiredJob(job, parameters, createdAt, TimeSpan.FromHours(1));
            connection.SetJobParameter(id, "p", "2");
            connection.SetJobParameter(id, "q", "3");
            Assert.Equal("1", id);
            connection.SetRangeInHash("h2", [new("gone", "soon")]);

            using (var first = (JobStorageTransaction)connection.CreateWriteTransaction())
            {
                first.SetJobState(id, enqueued);
                first.PersistJob(id);
                first.AddToQueue("default", id);
                first.AddJobState(id, failed);
                first.IncrementCounter("stats:a");
                first.IncrementCounter("stats:b", TimeSpan.FromHours(2));
                first.DecrementCounter("stats:a");
                first.DecrementCounter("stats:c", TimeSpan.FromHours(3));
                first.AddToSet("s", "a");
                first.AddToSet("s", "b", 2.5);
                first.AddToSet("s3", "z");
                first.AddRangeToSet("s2", ["x", "y"]);
                foreach (var value in new[] { "1", "2", "3", "4", "5" })
                {
                    first.InsertToList("l", value);
                }

                first.SetRangeInHash("h", [new("f1", "v1"), new("f2", "v2")]);
                first.Commit();
            }

            using (var second = (JobStorageTransaction)connection.CreateWriteTransaction())
            {
                second.SetJobState(id, succeeded);
                second.ExpireJob(id, TimeSpan.FromDays(1));
                second.AddToSet("s", "a", 3);
                second.RemoveFromSet("s", "b");
                second.RemoveSet("s3");
                second.RemoveFromList("l", "2");
                second.TrimList("l", 0, 1);
                second.SetRangeInHash("h", [new("f1", "v9")]);
                second.RemoveHash("h2");
                second.ExpireSet("s", TimeSpan.FromHours(4));
                second.ExpireList("l", TimeSpan.FromHours(5));
                second.ExpireHash("h", TimeSpan.FromHours(6));
                second.ExpireSet("s2", TimeSpan.FromHours(4));
                second.PersistSet("s2");
                second.Commit();
            }

            using var third = (JobStorageTransaction)connection.CreateWriteTransaction();
            third.ExpireList("l", TimeSpan.FromHours(1));
            third.PersistList("l");
            third.ExpireHash("h", TimeSpan.FromHours(1));
            third.PersistHash("h");
            third.Commit();
        }

        foreach (var (table, dump) in Dumps)
        {
            var expected = await Sql.ScalarAsync<string>(stockDb, dump);
            var actual = await Sql.ScalarAsync<string>(oursDb, dump);
            Assert.False(string.IsNullOrEmpty(expected), $"{table}: the stock transaction wrote nothing to compare");
            Assert.True(expected == actual, $"{table} differs.\nHangfire.PostgreSql:\n{expected}\nours:\n{actual}");
        }
    }

    [Fact]
    public async Task FailingWrite_RollsBackTheWholeBatch()
    {
        await using var app = WebOnly(out var db);
        var storage = app.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();

        using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();
        transaction.IncrementCounter("stats:rolled-back");
        transaction.AddToSet("s", "kept?");
        // The set's (key, value) is unique and a range insert does not upsert, as with Hangfire.PostgreSql.
        transaction.AddRangeToSet("dup", ["same", "same"]);
        var error = Assert.Throws<PostgresException>(transaction.Commit);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);

        Assert.Equal(0L, await Sql.ScalarAsync<long>(db, "SELECT count(*) FROM hangfire.counter WHERE key = 'stats:rolled-back'"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(db, "SELECT count(*) FROM hangfire.set"));
    }

    [Fact]
    public async Task AmbientTransactionScope_EnqueueCommitsOrRollsBackWithIt()
    {
        await using var app = WebOnly(out var db);
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();

        string rolledBack;
        using (new TransactionScope(TransactionScopeOption.Required, TransactionScopeAsyncFlowOption.Enabled))
        {
            rolledBack = client.Enqueue(() => Console.WriteLine("rolled back"));
        }

        string committed;
        using (var scope = new TransactionScope(TransactionScopeOption.Required, TransactionScopeAsyncFlowOption.Enabled))
        {
            committed = client.Enqueue(() => Console.WriteLine("committed"));
            scope.Complete();
        }

        Assert.Equal(0L, await Sql.ScalarAsync<long>(db, $"SELECT count(*) FROM hangfire.job WHERE id = {rolledBack}"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(db, $"SELECT count(*) FROM hangfire.jobqueue WHERE jobid = {rolledBack}"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(db, $"SELECT count(*) FROM hangfire.state WHERE jobid = {rolledBack}"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(db, $"SELECT count(*) FROM hangfire.jobqueue WHERE jobid = {committed}"));
        Assert.Equal("Enqueued", await Sql.ScalarAsync<string>(db, $"SELECT statename FROM hangfire.job WHERE id = {committed}"));
    }

    // Each table as text; times as whole minutes from now, so both sides compare despite running a moment apart.
    private const string Minutes = "coalesce(round(extract(epoch FROM {0} - now()) / 60)::text, 'none')";

    private static readonly (string Table, string Sql)[] Dumps =
    [
        ("job", $"SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s', id, statename, stateid IS NOT NULL, {string.Format(Minutes, "expireat")}, createdat, invocationdata, arguments), E'\\n' ORDER BY id) FROM hangfire.job"),
        ("jobparameter", "SELECT string_agg(format('%s|%s|%s', jobid, name, coalesce(value, 'null')), E'\\n' ORDER BY jobid, name) FROM hangfire.jobparameter"),
        ("state", "SELECT string_agg(format('%s|%s|%s|%s', jobid, name, reason, data), E'\\n' ORDER BY id) FROM hangfire.state"),
        ("jobqueue", "SELECT string_agg(format('%s|%s|%s', jobid, queue, fetchedat), E'\\n' ORDER BY id) FROM hangfire.jobqueue"),
        ("counter", $"SELECT string_agg(format('%s|%s|%s', key, value, {string.Format(Minutes, "expireat")}), E'\\n' ORDER BY key, value) FROM hangfire.counter"),
        ("set", $"SELECT string_agg(format('%s|%s|%s|%s', key, value, score, {string.Format(Minutes, "expireat")}), E'\\n' ORDER BY key, value) FROM hangfire.set"),
        ("list", $"SELECT string_agg(format('%s|%s|%s', key, value, {string.Format(Minutes, "expireat")}), E'\\n' ORDER BY key, id) FROM hangfire.list"),
        ("hash", $"SELECT string_agg(format('%s|%s|%s|%s', key, field, value, {string.Format(Minutes, "expireat")}), E'\\n' ORDER BY key, field) FROM hangfire.hash"),
    ];

    private DashboardFactory WebOnly(out string connectionString)
    {
        connectionString = postgres.CreateDatabase();
        var app = new DashboardFactory(connectionString, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        _ = app.Services;
        return app;
    }
}
