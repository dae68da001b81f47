using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Data.Hangfire;

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
