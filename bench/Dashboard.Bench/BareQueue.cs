using System.Diagnostics;
using Npgsql;

namespace Dashboard.Bench;

/// <summary>
/// The limit: a one-table queue with no state history, workers that take a row with <c>FOR UPDATE SKIP LOCKED</c>,
/// run the no-op and delete it in the same transaction. Same Npgsql tuning as our stack, same worker count.
/// </summary>
internal static class BareQueue
{
    public static async Task<ThroughputResult> RunAsync(BenchPostgres postgres, int jobs, int workers, TimeSpan timeout)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.CreateDatabase("bare"))
        {
            NoResetOnClose = true,
            MaxAutoPrepare = 50,
            MaxPoolSize = workers + 5,
        }.ConnectionString;
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand(
                "CREATE TABLE queue (id bigserial PRIMARY KEY, queue text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
                setup);
            await create.ExecuteNonQueryAsync();
        }

        NpgsqlConnection.ClearAllPools();
        var before = postgres.Counters(connectionString);
        var enqueue = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var insert = new NpgsqlCommand("INSERT INTO queue (queue, payload) VALUES ('default', '{\"type\":\"noop\"}')", connection);
                await insert.ExecuteNonQueryAsync();
            }
        })));
        var enqueueRate = jobs / enqueue.Elapsed.TotalSeconds;
        var afterEnqueue = await postgres.SettledCountersAsync(connectionString);

        using var cts = new CancellationTokenSource(timeout);
        long done = 0;
        var first = 0L;
        var last = 0L;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var job = new NoopJob();
            while (!cts.IsCancellationRequested)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cts.Token);
                await using var transaction = await connection.BeginTransactionAsync(cts.Token);
                await using var take = new NpgsqlCommand(
                    "SELECT id FROM queue WHERE queue = 'default' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", connection, transaction);
                if (await take.ExecuteScalarAsync(cts.Token) is not long id)
                {
                    return;
                }

                Interlocked.CompareExchange(ref first, Stopwatch.GetTimestamp(), 0);
                job.Run();
                await using var delete = new NpgsqlCommand("DELETE FROM queue WHERE id = @id", connection, transaction);
                delete.Parameters.AddWithValue("id", id);
                await delete.ExecuteNonQueryAsync(cts.Token);
                await transaction.CommitAsync(cts.Token);
                Interlocked.Increment(ref done);
                Interlocked.Exchange(ref last, Stopwatch.GetTimestamp());
            }
        })));
        if (done != jobs)
        {
            throw new InvalidOperationException($"Bare queue drained {done} of {jobs} jobs before the timeout.");
        }

        var after = await postgres.SettledCountersAsync(connectionString);
        var drainRate = jobs / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        return new ThroughputResult("(a) bare SKIP LOCKED queue", jobs, enqueueRate, drainRate, afterEnqueue - before, after - before, connectionString);
    }
}
