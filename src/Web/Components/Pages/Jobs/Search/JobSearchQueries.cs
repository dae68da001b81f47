using Dashboard.Data.Hangfire;
using Dashboard.Jobs.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Web.Components.Pages.Jobs.Search;

/// <summary>
/// Job lists straight from Hangfire's tables with keyset paging: a page is "the newest n matching jobs with an id below
/// the cursor", which PostgreSQL answers by walking the (statename, id) index backwards from the cursor, so the 2,000th
/// page costs what the first costs. Filters without an index (type, queue, text, time) are checked on the rows walked,
/// and the walk stops as soon as the page is full. Counts stop at <see cref="CappedCount.Cap"/>.
/// </summary>
internal sealed class JobSearchQueries(HangfireDatabase database) : IJobSearchQueries
{
    private const int MaxPageSize = 200;

    private JobSearchSql Sql => new(database.Schema);

    public async Task<JobPage> FindAsync(JobFilter filter, JobPageRequest page, CancellationToken cancellationToken = default)
    {
        var size = Math.Clamp(page.Size, 1, MaxPageSize);
        var sql = Sql;
        await using var session = await ReadSession.OpenAsync(database, JobSearchSql.PlanForWalk, cancellationToken);
        await using var command = session.CreateCommand();
        var where = sql.Where(filter, command);
        var newer = page.Before is not null;
        if (newer)
        {
            where += "\n  AND j.id > @cursor";
            command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Bigint) { Value = page.Before!.Value });
        }
        else if (page.After is { } after)
        {
            where += "\n  AND j.id < @cursor";
            command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Bigint) { Value = after });
        }

        // One row more than the page tells whether another page exists without counting the match.
        command.CommandText = $"""
            SELECT {sql.Columns}
            FROM {sql.Source}
            WHERE {where}
            ORDER BY j.id {(newer ? "ASC" : "DESC")}
            LIMIT @limit
            """;
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = size + 1 });

        var rows = new List<JobRow>(size + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(ReadRow(reader));
            }
        }

        var more = rows.Count > size;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (newer)
        {
            rows.Reverse();
            // Walking towards newer jobs: the extra row says whether yet newer ones exist; older ones do, we came from them.
            return new JobPage(rows, rows.Count > 0 ? rows[^1].Id : page.Before, more && rows.Count > 0 ? rows[0].Id : null);
        }

        var older = more ? rows[^1].Id : (long?)null;
        var newerCursor = page.After is null ? null : rows.Count > 0 ? rows[0].Id : page.After;
        return new JobPage(rows, older, newerCursor);
    }

    public async Task<CappedCount> CountAsync(JobFilter filter, CancellationToken cancellationToken = default)
    {
        var sql = Sql;
        await using var session = await ReadSession.OpenAsync(database, JobSearchSql.PlanForWalk, cancellationToken);
        await using var command = session.CreateCommand();
        command.CommandText = $"""
            SELECT count(*) FROM (SELECT 1 FROM {sql.Source} WHERE {sql.Where(filter, command)} LIMIT {CappedCount.Cap + 1}) capped
            """;
        return CappedCount.Of((long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<IReadOnlyDictionary<string, CappedCount>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await ReadSession.OpenAsync(database, JobSearchSql.PlanForScan, cancellationToken);
        await using var command = session.CreateCommand();
        // One index-only range per state, each stopped after the cap, all in one round trip.
        command.CommandText = string.Join("\nUNION ALL\n", JobStateNames.All.Select((state, i) => $"""
            SELECT @s{i}, (SELECT count(*) FROM (SELECT 1 FROM {database.Schema}.job WHERE statename = @s{i} LIMIT {CappedCount.Cap + 1}) capped)
            """));
        for (var i = 0; i < JobStateNames.All.Count; i++)
        {
            command.Parameters.Add(new NpgsqlParameter($"s{i}", NpgsqlDbType.Text) { Value = JobStateNames.All[i] });
        }

        var counts = new Dictionary<string, CappedCount>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = CappedCount.Of(reader.GetInt64(1));
        }

        return counts;
    }

    public async Task<IReadOnlyList<ErrorGroup>> GroupFailuresAsync(JobFilter filter, int maxGroups, CancellationToken cancellationToken = default)
    {
        var sql = Sql;
        await using var session = await ReadSession.OpenAsync(database, JobSearchSql.PlanForScan, cancellationToken);
        await using var command = session.CreateCommand();
        if (EveryFailure(filter))
        {
            // Every current failure: the groups the triggers keep (FailureSignatures.Groups), a few rows per
            // signature, however many jobs failed.
            command.CommandText = $"""
                SELECT signature, min(exceptiontype), sum(failed)::bigint, array_agg(nullif(jobtype, '')), min(firstat), max(lastat)
                FROM {FailureSignatures.Groups(sql.Schema)}
                GROUP BY signature
                ORDER BY sum(failed) DESC, signature
                LIMIT @groups
                """;
        }
        else
        {
            // Filtered: the expressions over the matching rows only (joining the stored signatures here made
            // PostgreSQL choose a plan 50× slower on the filtered walk).
            var where = sql.Where(filter with { State = "Failed" }, command);
            command.CommandText = $"""
                SELECT signature, min(exception_type), count(*), array_agg(DISTINCT job_type), min(at), max(at)
                FROM (
                    SELECT {FailureSignatures.Signature} AS signature, {FailureSignatures.ExceptionType} AS exception_type,
                           {FailureSignatures.ShortType} AS job_type, {JobSearchSql.StateAt} AS at
                    FROM {sql.Source}
                    WHERE {where}
                ) failures
                GROUP BY signature
                ORDER BY count(*) DESC, signature
                LIMIT @groups
                """;
        }

        command.Parameters.Add(new NpgsqlParameter("groups", NpgsqlDbType.Integer) { Value = Math.Clamp(maxGroups, 1, 500) });

        var groups = new List<ErrorGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new ErrorGroup(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                [.. reader.GetFieldValue<string?[]>(3).Select(t => t ?? "(unknown)").Order(StringComparer.Ordinal)],
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return groups;
    }

    /// <summary>No filter but the state, which grouping sets to Failed anyway.</summary>
    private static bool EveryFailure(JobFilter filter) =>
        string.IsNullOrWhiteSpace(filter.JobType) && string.IsNullOrWhiteSpace(filter.Signature) && string.IsNullOrWhiteSpace(filter.Queue)
        && string.IsNullOrWhiteSpace(filter.ExceptionType) && string.IsNullOrWhiteSpace(filter.Text)
        && filter.From is null && filter.To is null;

    public async Task<MatchSnapshot> SnapshotAsync(JobFilter filter, CancellationToken cancellationToken = default)
    {
        var sql = Sql;
        await using var session = await ReadSession.OpenAsync(database, JobSearchSql.PlanForScan, cancellationToken);
        await using var command = session.CreateCommand();
        command.CommandText = $"SELECT count(*), max(j.id) FROM {sql.Source} WHERE {sql.Where(filter, command)}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MatchSnapshot(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
    }

    public async Task<IReadOnlyList<long>> FindIdsAsync(JobFilter filter, long before, int limit, CancellationToken cancellationToken = default)
    {
        var sql = Sql;
        await using var session = await ReadSession.OpenAsync(database, JobSearchSql.PlanForWalk, cancellationToken);
        await using var command = session.CreateCommand();
        command.CommandText = $"""
            SELECT j.id FROM {sql.Source}
            WHERE {sql.Where(filter, command)} AND j.id < @before
            ORDER BY j.id DESC
            LIMIT @limit
            """;
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = before });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = Math.Clamp(limit, 1, 10_000) });
        var ids = new List<long>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static JobRow ReadRow(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.IsDBNull(1) || reader.GetString(1).Length == 0 ? "(unknown type)" : reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9));

    /// <summary>A read-only transaction whose planner settings (SET LOCAL) end with it, never leaking into the pool.</summary>
    private sealed class ReadSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public static async Task<ReadSession> OpenAsync(HangfireDatabase database, string plan, CancellationToken cancellationToken)
        {
            var connection = await database.OpenReadAsync(cancellationToken);
            try
            {
                var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
                await using var settings = new NpgsqlCommand("SET TRANSACTION READ ONLY; " + plan, connection, transaction);
                await settings.ExecuteNonQueryAsync(cancellationToken);
                return new ReadSession(connection, transaction);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        public NpgsqlCommand CreateCommand() => new() { Connection = connection, Transaction = transaction };

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
