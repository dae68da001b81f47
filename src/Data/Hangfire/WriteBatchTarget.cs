using System.Globalization;
using Hangfire.Common;
using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Data.Hangfire;

/// <summary>
/// The storage's writes on the database: the batches of <see cref="DashboardWriteTransaction"/> and the one-statement
/// job creation, on the storage's connection string and schema.
/// </summary>
/// <param name="connectionString">The storage's connection string, for writes inside a caller's transaction.</param>
/// <param name="unenlisted">The same with <c>Enlist=false</c>, for every other write.</param>
public sealed class WriteBatchTarget(
    string connectionString, string unenlisted, string schema, bool enlistInAmbientTransaction, Action? announceEnqueued)
{
    public WriteStatements Statements { get; } = new(schema);

    private readonly string _createJob = $"""
        WITH "j" AS (
            INSERT INTO "{schema}"."job" ("invocationdata", "arguments", "createdat", "expireat")
            VALUES ($1::jsonb, $2::jsonb, $3, $4) RETURNING "id"),
        "p" AS (
            INSERT INTO "{schema}"."jobparameter" ("jobid", "name", "value")
            SELECT "j"."id", "p"."name", "p"."value" FROM "j", unnest($5::text[], $6::text[]) AS "p" ("name", "value"))
        SELECT "id" FROM "j"
        """;

    /// <summary>
    /// Hangfire's first step of every enqueue: the job row (expiring, no state yet) and its parameters, as ONE
    /// auto-committed statement where Hangfire.PostgreSql sends <c>BEGIN</c>, the job, each parameter and
    /// <c>COMMIT</c>. Same rows and values (compared by the tests); in a caller's transaction it joins it.
    /// </summary>
    public string CreateExpiredJob(Job job, IDictionary<string, string?> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        var invocation = InvocationData.SerializeJob(job);
        using var connection = Open(out _);
        using var command = new NpgsqlCommand(_createJob, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = SerializationHelper.Serialize(invocation) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)invocation.Arguments ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = createdAt });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = createdAt.Add(expireIn) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = parameters.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            Value = parameters.Values.Select(v => (object?)v ?? DBNull.Value).ToArray(),
        });
        return ((long)command.ExecuteScalar()!).ToString(CultureInfo.InvariantCulture);
    }

    private NpgsqlConnection Open(out bool ambient)
    {
        ambient = enlistInAmbientTransaction && System.Transactions.Transaction.Current is not null;
        // In a caller's transaction, the storage's own connection string: Npgsql hands a transaction the connection it
        // already enlisted (the one that created the job) only when it is opened from the same pool.
        var connection = new NpgsqlConnection(ambient ? connectionString : unenlisted);
        connection.Open();
        return connection;
    }

    public void Execute(IReadOnlyList<NpgsqlBatchCommand> commands, bool enqueued)
    {
        using var connection = Open(out var ambient);
        using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var command in commands)
            {
                batch.BatchCommands.Add(command);
            }

            // Without an explicit transaction PostgreSQL runs the batch as one implicit transaction: all or nothing.
            batch.ExecuteNonQuery();
        }

        if (!enqueued || announceEnqueued is null)
        {
            return;
        }

        if (ambient)
        {
            // In the caller's transaction: PostgreSQL delivers it when (and only if) that transaction commits.
            using var notify = new NpgsqlCommand($"NOTIFY {QueueNotifications.Channel}", connection);
            notify.ExecuteNonQuery();
        }
        else
        {
            announceEnqueued();
        }
    }
}
