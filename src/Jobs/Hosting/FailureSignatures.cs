namespace Dashboard.Jobs.Hosting;

/// <summary>
/// Error signatures of failed jobs, computed once per failure instead of once per failure per page view. A trigger on
/// Hangfire's <c>state</c> table writes, for every Failed state row, its signature, exception type, the job's short
/// type name and the time into <c>dashboard_failure_v1</c> (keyed by the state id; state rows never change, and the
/// row goes with its state through the foreign key). Grouping 100,000 failures then reads that small table instead of
/// running four regular expressions over every message and opening every state's JSON.
/// </summary>
public static class FailureSignatures
{
    /// <summary>The error signature of a Failed state <c>s</c>: <c>Type: message</c> with the varying parts replaced.</summary>
    /// <remarks>
    /// One expression, used to fill the table, to group, and to filter by a group, so a group's link always finds
    /// exactly its jobs. Changing it means a new table version (the rows hold the old expression's results).
    /// Order matters: GUIDs and hex ids before bare numbers, or their digits would be replaced piecemeal. A hex id is
    /// <c>0x…</c> or a word of 8 or more hex digits. The patterns are kept simple (no look-arounds, no bounded
    /// repeats): each costs PostgreSQL about 1 µs per message that way, against 10–20 µs for the fancy forms.
    /// Messages are cut at 500 characters.
    /// </remarks>
    public const string Signature = """
        COALESCE(s.data->>'ExceptionType', '(unknown exception)') || ': ' ||
        regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            left(COALESCE(s.data->>'ExceptionMessage', s.reason, ''), 500),
            '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '{guid}', 'g'),
            '''[^'']*''|"[^"]*"', '{value}', 'g'),
            '\m0[xX][0-9a-fA-F]+\M|\m[0-9a-fA-F]{8,}\M', '{hex}', 'g'),
            '\d+', '{n}', 'g')
        """;

    /// <summary>The exception type of a Failed state <c>s</c>.</summary>
    public const string ExceptionType = "COALESCE(s.data->>'ExceptionType', '(unknown exception)')";

    /// <summary>The class name of job <c>j</c> without namespace or assembly: <c>SendEmailJob</c>.</summary>
    public const string ShortType = "substring(split_part(j.invocationdata->>'Type', ',', 1) from '[^.+]*$')";

    /// <summary>The table of <paramref name="schema"/> (a validated identifier) that holds the computed rows.</summary>
    public static string Table(string schema) => $"{schema}.dashboard_failure_v1";

    /// <summary>
    /// The table, the trigger that fills it, and the rows of failures stored before the trigger existed. Idempotent;
    /// run by the Hangfire schema installer at every start, under the migration lock.
    /// </summary>
    public static string Install(string schema) => $$"""
        CREATE TABLE IF NOT EXISTS {{Table(schema)}} (
            stateid bigint PRIMARY KEY REFERENCES {{schema}}.state (id) ON DELETE CASCADE,
            signature text NOT NULL,
            exceptiontype text NOT NULL,
            jobtype text,
            createdat timestamptz NOT NULL);

        CREATE OR REPLACE FUNCTION {{schema}}.dashboard_record_failure() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            INSERT INTO {{Table(schema)}} (stateid, signature, exceptiontype, jobtype, createdat)
            SELECT s.id, {{Signature}}, {{ExceptionType}}, {{ShortType}}, s.createdat
            FROM (SELECT NEW.id, NEW.jobid, NEW.reason, NEW.data, NEW.createdat) AS s (id, jobid, reason, data, createdat)
            LEFT JOIN {{schema}}.job j ON j.id = s.jobid
            ON CONFLICT (stateid) DO NOTHING;
            RETURN NULL;
        END
        $fn$;

        DROP TRIGGER IF EXISTS dashboard_record_failure ON {{schema}}.state;
        CREATE TRIGGER dashboard_record_failure AFTER INSERT ON {{schema}}.state
            FOR EACH ROW WHEN (NEW.name = 'Failed') EXECUTE FUNCTION {{schema}}.dashboard_record_failure();

        INSERT INTO {{Table(schema)}} (stateid, signature, exceptiontype, jobtype, createdat)
        SELECT s.id, {{Signature}}, {{ExceptionType}}, {{ShortType}}, s.createdat
        FROM {{schema}}.job j JOIN {{schema}}.state s ON s.id = j.stateid
        WHERE j.statename = 'Failed' AND NOT EXISTS (SELECT 1 FROM {{Table(schema)}} f WHERE f.stateid = s.id)
        ON CONFLICT (stateid) DO NOTHING;
        """;
}
