using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// Hangfire's write transaction on Hangfire.PostgreSql's tables, sent as ONE batch: every write Hangfire.Core queues
/// for a state change (the state row, the job's state and expiration, counters, sets, lists, hashes, the queue row)
/// travels in one round trip and commits as one implicit transaction, where Hangfire.PostgreSql sends
/// <c>BEGIN</c>, each statement and <c>COMMIT</c> as separate round trips. Same tables, same rows, same values
/// (tests compare the two table by table); all or nothing, like theirs.
/// <para>
/// Two things stay outside the batch on purpose. The queue's <c>NOTIFY</c> is sent after the commit, coalesced across
/// the process (<see cref="QueueNotifications.Announce"/>): inside a transaction PostgreSQL holds its notification
/// lock until the commit is flushed, which serialises every enqueuing transaction behind one another's disk flush.
/// And inside an ambient
/// <see cref="System.Transactions.TransactionScope"/> (when <c>EnableTransactionScopeEnlistment</c> is on, as by
/// default) the batch joins that transaction, so a job enqueued in the caller's transaction still commits or rolls
/// back with it, as with Hangfire.PostgreSql.
/// </para>
/// </summary>
public sealed class DashboardWriteTransaction(WriteBatchTarget target) : JobStorageTransaction
{
    private readonly List<NpgsqlBatchCommand> _commands = [];
    private bool _enqueued;
    private WriteStatements Sql => target.Statements;

    public override void Commit()
    {
        if (_commands.Count == 0)
        {
            return;
        }

        target.Execute(_commands, _enqueued);
    }

    public override void Dispose()
    {
    }

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        _commands.Add(command);
    }

    private static NpgsqlParameter<long> JobId(string jobId) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = long.Parse(jobId, CultureInfo.InvariantCulture) };

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter<TimeSpan> Interval(TimeSpan value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Interval, TypedValue = value };

    private static NpgsqlParameter<DateTime> Timestamp(DateTime utc) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = utc };

    private static NpgsqlParameter<long> Bigint(long value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = value };

    // Hangfire.PostgreSql adds whole seconds; so do we, so both write the same expiration for the same call.
    private static TimeSpan WholeSeconds(TimeSpan value) => TimeSpan.FromSeconds((long)value.TotalSeconds);

    public override void ExpireJob(string jobId, TimeSpan expireIn) =>
        Add(Sql.ExpireJob, JobId(jobId), Interval(WholeSeconds(expireIn)));

    public override void PersistJob(string jobId) =>
        Add(Sql.PersistJob, JobId(jobId));

    public override void SetJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Add(Sql.SetJobState,
            JobId(jobId), Text(state.Name), Text(state.Reason), Timestamp(DateTime.UtcNow), Text(SerializationHelper.Serialize(state.SerializeData())));
    }

    public override void AddJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Add(Sql.AddJobState,
            JobId(jobId), Text(state.Name), Text(state.Reason), Timestamp(DateTime.UtcNow), Text(SerializationHelper.Serialize(state.SerializeData())));
    }

    public override void AddToQueue(string queue, string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        Add(Sql.AddToQueue, JobId(jobId), Text(queue));
        _enqueued = true;
    }

    public override void IncrementCounter(string key) => AddCounter(key, +1, null);

    public override void IncrementCounter(string key, TimeSpan expireIn) => AddCounter(key, +1, expireIn);

    public override void DecrementCounter(string key) => AddCounter(key, -1, null);

    public override void DecrementCounter(string key, TimeSpan expireIn) => AddCounter(key, -1, expireIn);

    private void AddCounter(string key, long value, TimeSpan? expireIn)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (expireIn is { } expire)
        {
            Add(Sql.ExpiringCounter,
                Text(key), Bigint(value), Interval(WholeSeconds(expire)));
        }
        else
        {
            Add(Sql.Counter, Text(key), Bigint(value));
        }
    }

    public override void AddToSet(string key, string value) => AddToSet(key, value, 0.0);

    public override void AddToSet(string key, string value, double score) =>
        Add(Sql.AddToSet,
            Text(key), Text(value), new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double, TypedValue = score });

    public override void RemoveFromSet(string key, string value) =>
        Add(Sql.RemoveFromSet, Text(key), Text(value));

    public override void AddRangeToSet(string key, IList<string> items)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Add(Sql.AddRangeToSet, Text(key), Text(item));
        }
    }

    public override void RemoveSet(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(Sql.RemoveSet, Text(key));
    }

    public override void InsertToList(string key, string value) =>
        Add(Sql.InsertToList, Text(key), Text(value));

    public override void RemoveFromList(string key, string value) =>
        Add(Sql.RemoveFromList, Text(key), Text(value));

    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt) =>
        Add(Sql.TrimList,
            Text(key), Bigint(keepStartingFrom), Bigint(keepEndingAt - keepStartingFrom + 1));

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        foreach (var (field, value) in keyValuePairs)
        {
            Add(Sql.SetHashField,
                Text(key), Text(field), Text(value));
        }
    }

    public override void RemoveHash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(Sql.RemoveHash, Text(key));
    }

    public override void ExpireSet(string key, TimeSpan expireIn) => Expire(Sql.ExpireSet, key, expireIn);

    public override void ExpireList(string key, TimeSpan expireIn) => Expire(Sql.ExpireList, key, expireIn);

    public override void ExpireHash(string key, TimeSpan expireIn) => Expire(Sql.ExpireHash, key, expireIn);

    public override void PersistSet(string key) => Persist(Sql.PersistSet, key);

    public override void PersistList(string key) => Persist(Sql.PersistList, key);

    public override void PersistHash(string key) => Persist(Sql.PersistHash, key);

    private void Expire(string sql, string key, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(sql, Text(key), Timestamp(DateTime.UtcNow.Add(expireIn)));
    }

    private void Persist(string sql, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(sql, Text(key));
    }
}

/// <summary>
/// The statements of <see cref="DashboardWriteTransaction"/> for one schema (a validated identifier), written once
/// per storage rather than once per command.
/// </summary>
public sealed class WriteStatements(string schema)
{
    public string ExpireJob { get; } = $"""UPDATE "{schema}"."job" SET "expireat" = NOW() + $2 WHERE "id" = $1""";

    public string PersistJob { get; } = $"""UPDATE "{schema}"."job" SET "expireat" = NULL WHERE "id" = $1""";

    public string SetJobState { get; } = $"""
        WITH "s" AS (
            INSERT INTO "{schema}"."state" ("jobid", "name", "reason", "createdat", "data")
            VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING "id")
        UPDATE "{schema}"."job" "j" SET "stateid" = "s"."id", "statename" = $2 FROM "s" WHERE "j"."id" = $1
        """;

    public string AddJobState { get; } = $"""
        INSERT INTO "{schema}"."state" ("jobid", "name", "reason", "createdat", "data")
        VALUES ($1, $2, $3, $4, $5::jsonb)
        """;

    public string AddToQueue { get; } = $"""INSERT INTO "{schema}"."jobqueue" ("jobid", "queue") VALUES ($1, $2)""";

    public string ExpiringCounter { get; } = $"""INSERT INTO "{schema}"."counter" ("key", "value", "expireat") VALUES ($1, $2, NOW() + $3)""";

    public string Counter { get; } = $"""INSERT INTO "{schema}"."counter" ("key", "value") VALUES ($1, $2)""";

    public string AddToSet { get; } = $"""
        INSERT INTO "{schema}"."set" ("key", "value", "score") VALUES ($1, $2, $3)
        ON CONFLICT ("key", "value") DO UPDATE SET "score" = EXCLUDED."score"
        """;

    public string RemoveFromSet { get; } = $"""DELETE FROM "{schema}"."set" WHERE "key" = $1 AND "value" = $2""";

    public string AddRangeToSet { get; } = $"""INSERT INTO "{schema}"."set" ("key", "value", "score") VALUES ($1, $2, 0.0)""";

    public string RemoveSet { get; } = $"""DELETE FROM "{schema}"."set" WHERE "key" = $1""";

    public string InsertToList { get; } = $"""INSERT INTO "{schema}"."list" ("key", "value") VALUES ($1, $2)""";

    public string RemoveFromList { get; } = $"""DELETE FROM "{schema}"."list" WHERE "key" = $1 AND "value" = $2""";

    public string TrimList { get; } = $"""
        DELETE FROM "{schema}"."list" AS "source"
        WHERE "key" = $1
          AND "id" NOT IN (
            SELECT "id" FROM "{schema}"."list" AS "keep"
            WHERE "keep"."key" = "source"."key"
            ORDER BY "id" OFFSET $2 LIMIT $3)
        """;

    public string SetHashField { get; } = $"""
        INSERT INTO "{schema}"."hash" ("key", "field", "value") VALUES ($1, $2, $3)
        ON CONFLICT ("key", "field") DO UPDATE SET "value" = EXCLUDED."value"
        """;

    public string RemoveHash { get; } = $"""DELETE FROM "{schema}"."hash" WHERE "key" = $1""";

    public string ExpireSet { get; } = $"""UPDATE "{schema}"."set" SET "expireat" = $2 WHERE "key" = $1""";

    public string ExpireList { get; } = $"""UPDATE "{schema}"."list" SET "expireat" = $2 WHERE "key" = $1""";

    public string ExpireHash { get; } = $"""UPDATE "{schema}"."hash" SET "expireat" = $2 WHERE "key" = $1""";

    public string PersistSet { get; } = $"""UPDATE "{schema}"."set" SET "expireat" = NULL WHERE "key" = $1""";

    public string PersistList { get; } = $"""UPDATE "{schema}"."list" SET "expireat" = NULL WHERE "key" = $1""";

    public string PersistHash { get; } = $"""UPDATE "{schema}"."hash" SET "expireat" = NULL WHERE "key" = $1""";
}

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
