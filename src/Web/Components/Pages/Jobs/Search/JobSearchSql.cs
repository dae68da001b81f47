using Dashboard.Data.Hangfire;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Web.Components.Pages.Jobs.Search;

/// <summary>
/// The SQL shared by every job list: the row source (a job joined to its current state), the expressions for the
/// queue and the state time (the short type name and the error signature are <see cref="FailureSignatures"/>'s), and
/// the WHERE clause of a <see cref="JobFilter"/>. All values are bound as parameters; only <paramref name="schema"/>,
/// a validated identifier, is interpolated.
/// </summary>
internal sealed class JobSearchSql(string schema)
{
    /// <summary>When the job entered its current state.</summary>
    public const string StateAt = "COALESCE(s.createdat, j.createdat)";

    /// <summary>
    /// The queue of the job's latest Enqueued state (the queue row exists only while a job waits or runs); a job that
    /// was never enqueued (scheduled, awaiting) has not picked one yet and shows the default. An aggregate rather than
    /// ORDER BY … LIMIT 1, so it needs no Sort node: walks run with sorting discouraged (<see cref="PlanForWalk"/>).
    /// </summary>
    public string Queue => $"""
        COALESCE((SELECT (array_agg(e.data->>'Queue' ORDER BY e.id DESC))[1] FROM {schema}.state e WHERE e.jobid = j.id AND e.name = 'Enqueued'), 'default')
        """;

    /// <summary>
    /// Settings for the statement that follows in the same transaction. PostgreSQL cannot estimate how selective the
    /// filters on expressions are (it guesses "1 row"), and then prefers reading every job in the state and sorting,
    /// which at 100,000 failed jobs is 2 s a page against 5 ms for walking the index from the cursor and stopping when
    /// the page is full. JIT compilation is off because it only adds half a second to these short queries.
    /// </summary>
    public const string PlanForWalk = "SET LOCAL jit = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off;";

    /// <summary>For statements that read every match anyway (grouping, exact counts): only JIT off.</summary>
    public const string PlanForScan = "SET LOCAL jit = off;";

    public string Source => $"{schema}.job j LEFT JOIN {schema}.state s ON s.id = j.stateid";

    public string Columns => $"""
        j.id, {FailureSignatures.ShortType}, COALESCE(j.invocationdata->>'Method', ''), {Queue}, j.statename, s.reason, {StateAt}, j.createdat,
        s.data->>'ExceptionType', left(s.data->>'ExceptionMessage', 1000)
        """;

    public string Schema => schema;

    /// <summary>The conditions of <paramref name="filter"/>, its values added to <paramref name="command"/>.</summary>
    public string Where(JobFilter filter, NpgsqlCommand command)
    {
        // A job being created has no state yet; it is not a job anyone can act on.
        var conditions = new List<string> { "j.statename IS NOT NULL" };
        if (JobStateNames.TryParse(filter.State, out var state))
        {
            // Equality on statename lets PostgreSQL walk ix_dashboard_job_state_id backwards from the cursor.
            conditions.Add("j.statename = @state");
            command.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Text) { Value = state });
        }

        if (Trimmed(filter.JobType) is { } type)
        {
            conditions.Add($"{FailureSignatures.ShortType} ILIKE @type ESCAPE '\\'");
            command.Parameters.Add(new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = Contains(type) });
        }

        if (Trimmed(filter.Queue) is { } queue)
        {
            conditions.Add($"{Queue} = @queue");
            command.Parameters.Add(new NpgsqlParameter("queue", NpgsqlDbType.Text) { Value = queue.ToLowerInvariant() });
        }

        if (Trimmed(filter.ExceptionType) is { } exception)
        {
            conditions.Add("s.data->>'ExceptionType' ILIKE @exception ESCAPE '\\'");
            command.Parameters.Add(new NpgsqlParameter("exception", NpgsqlDbType.Text) { Value = Contains(exception) });
        }

        if (Trimmed(filter.Text) is { } text)
        {
            var id = JobIds.IsWellFormed(text) ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : -1;
            conditions.Add("""
                (j.id = @textid OR s.data->>'ExceptionMessage' ILIKE @text ESCAPE '\' OR s.reason ILIKE @text ESCAPE '\'
                 OR j.arguments::text ILIKE @text ESCAPE '\')
                """);
            command.Parameters.Add(new NpgsqlParameter("textid", NpgsqlDbType.Bigint) { Value = id });
            command.Parameters.Add(new NpgsqlParameter("text", NpgsqlDbType.Text) { Value = Contains(text) });
        }

        if (filter.From is { } from)
        {
            conditions.Add($"{StateAt} >= @from");
            command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.ToUniversalTime() });
        }

        if (filter.To is { } to)
        {
            conditions.Add($"{StateAt} < @to");
            command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.ToUniversalTime() });
        }

        if (Trimmed(filter.Signature) is { } signature)
        {
            conditions.Add($"({FailureSignatures.Signature}) = @signature");
            command.Parameters.Add(new NpgsqlParameter("signature", NpgsqlDbType.Text) { Value = signature });
        }

        return string.Join("\n  AND ", conditions);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Contains(string text) =>
        "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
