using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Npgsql;

namespace Dashboard.Data.Hangfire;

/// <summary>
/// Hangfire.PostgreSql's storage with the job path made cheaper: its connections take Hangfire's distributed locks
/// as PostgreSQL advisory locks (below), read a job with its parameters (<see cref="JobDataReader"/>), create a job
/// and its parameters in one statement, and write through <see cref="DashboardWriteTransaction"/> (one batch per
/// transaction). The queue is <see cref="DashboardJobQueue"/>, registered by the host.
/// <para>
/// The locks: every job's <c>job:&lt;id&gt;:state-lock</c> at each state change and the schedulers' locks are
/// advisory locks instead of rows in Hangfire.PostgreSql's <c>lock</c> table.
/// A lock row costs a clean-up <c>DELETE</c>, an <c>INSERT</c> and a releasing <c>DELETE</c>, each in its own
/// transaction that writes and flushes WAL: about 6 statements and 4 durable commits per job for the two state changes
/// a job goes through on a server. An advisory lock is one <c>SELECT</c> to take and one to release, writes nothing,
/// waits in the server's lock manager (no polling) and is released by the server if the holding process dies, where
/// a lock row waits for its timeout.
/// </para>
/// <para>
/// Every process of a deployment must lock the same way: a process on stock Hangfire.PostgreSql (the table) and one
/// on this storage (advisory) would not exclude each other. The app always uses this storage; mixing in a foreign
/// Hangfire.PostgreSql server on the same schema is not supported.
/// </para>
/// </summary>
public sealed partial class DashboardStorage(string connectionString, PostgreSqlStorageOptions options, QueueNotifications notifications)
    : PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options, null), options)
{
    // The app's own connections of the storage (locks, job reads, writes outside a caller's transaction) are never
    // enlisted in an ambient TransactionScope: a lock outlives transactions and must not commit or roll back with
    // them, and a read has no business inside one. Writes join the caller's transaction only when there is one.
    private static string Unenlisted(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false }.ConnectionString;

    // Field initialisers run before the base constructor's own checks: without these, a null argument would be a
    // NullReferenceException from the first initialiser instead of the ArgumentNullException Hangfire.PostgreSql throws.
    private static T Checked<T>(T? value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class => value ?? throw new ArgumentNullException(name);

    private readonly AdvisoryLocks _locks = new(
        AdvisoryLocks.OwnPool(Unenlisted(Checked(connectionString))), Checked(options).SchemaName);
    private readonly JobDataReader _jobData = new(Unenlisted(connectionString), options.SchemaName);
    private readonly WriteBatchTarget _writes = new(
        connectionString, Unenlisted(connectionString), options.SchemaName, options.EnableTransactionScopeEnlistment,
        Announcer(notifications, options));

    private static Action? Announcer(QueueNotifications notifications, PostgreSqlStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        return options.EnableLongPolling ? notifications.Announce : null;
    }

    public override IStorageConnection GetConnection() => new DashboardStorageConnection(this, _locks, _jobData, _writes);
}
