namespace Dashboard.Data.Hangfire;

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
    /// The table of the groups of CURRENT failures: per signature and job type (<c>''</c> when unknown), how many
    /// jobs are in the Failed state now, the exception type, and the first and last failure time since the group
    /// appeared. Kept by triggers on the job table as jobs enter and leave Failed, so the Failed page's groups and
    /// the Overview's Failed count read a few rows instead of every failed job.
    /// </summary>
    public static string Groups(string schema) => $"{schema}.dashboard_failure_group_v1";

    /// <summary>
    /// Recounts <see cref="Groups"/> from the jobs that are Failed now. Run by the installer at every start (so the
    /// groups heal from anything that bypassed the triggers, such as a restored dump), and by code that writes failed
    /// jobs' rows directly instead of through Hangfire (test and benchmark seeds).
    /// </summary>
    public static string Rebuild(string schema) => $"SELECT {schema}.dashboard_rebuild_failure_groups()";

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

        CREATE TABLE IF NOT EXISTS {{Groups(schema)}} (
            signature text NOT NULL,
            jobtype text NOT NULL,
            exceptiontype text NOT NULL,
            failed bigint NOT NULL,
            firstat timestamptz NOT NULL,
            lastat timestamptz NOT NULL,
            PRIMARY KEY (signature, jobtype));

        -- A job's failures counted out of (its old Failed state) and into (its new one) their groups. The group rows
        -- are taken in one order (signature, job type; within one group the +1 first, so its first failure stays),
        -- so two jobs moving between the same two groups in opposite directions cannot deadlock.
        DROP FUNCTION IF EXISTS {{schema}}.dashboard_count_failure(bigint, integer);
        CREATE OR REPLACE FUNCTION {{schema}}.dashboard_count_failures(old_state bigint, new_state bigint)
        RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE f record;
        BEGIN
            FOR f IN
                SELECT s.signature, coalesce(s.jobtype, '') AS jobtype, s.exceptiontype, s.createdat, d.delta
                FROM (VALUES (old_state, -1), (new_state, 1)) AS d (stateid, delta)
                JOIN {{Table(schema)}} s ON s.stateid = d.stateid
                ORDER BY 1, 2, d.delta DESC
            LOOP
                IF f.delta > 0 THEN
                    INSERT INTO {{Groups(schema)}} AS g (signature, jobtype, exceptiontype, failed, firstat, lastat)
                    VALUES (f.signature, f.jobtype, f.exceptiontype, 1, f.createdat, f.createdat)
                    ON CONFLICT (signature, jobtype) DO UPDATE
                    SET failed = g.failed + 1, firstat = least(g.firstat, EXCLUDED.firstat), lastat = greatest(g.lastat, EXCLUDED.lastat);
                ELSE
                    DELETE FROM {{Groups(schema)}} WHERE signature = f.signature AND jobtype = f.jobtype AND failed <= 1;
                    UPDATE {{Groups(schema)}} SET failed = failed - 1 WHERE signature = f.signature AND jobtype = f.jobtype;
                END IF;
            END LOOP;
        END
        $fn$;

        -- Hangfire moves a job between states by pointing the job row at its new state row (inserted first, by the same
        -- statement or transaction), so the job row says when a failure starts or stops being current.
        CREATE OR REPLACE FUNCTION {{schema}}.dashboard_job_failure_moved() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM {{schema}}.dashboard_count_failures(
                CASE WHEN OLD.statename = 'Failed' THEN OLD.stateid END,
                CASE WHEN TG_OP = 'UPDATE' AND NEW.statename = 'Failed' THEN NEW.stateid END);
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
        END
        $fn$;

        DROP TRIGGER IF EXISTS dashboard_job_failure_moved ON {{schema}}.job;
        CREATE TRIGGER dashboard_job_failure_moved AFTER UPDATE OF stateid, statename ON {{schema}}.job
            FOR EACH ROW
            WHEN ((OLD.statename = 'Failed' OR NEW.statename = 'Failed')
                  AND (OLD.stateid IS DISTINCT FROM NEW.stateid OR OLD.statename IS DISTINCT FROM NEW.statename))
            EXECUTE FUNCTION {{schema}}.dashboard_job_failure_moved();
        -- Before the row goes: the state rows (and their stored failures) go with it through the foreign keys.
        DROP TRIGGER IF EXISTS dashboard_job_failure_deleted ON {{schema}}.job;
        CREATE TRIGGER dashboard_job_failure_deleted BEFORE DELETE ON {{schema}}.job
            FOR EACH ROW WHEN (OLD.statename = 'Failed')
            EXECUTE FUNCTION {{schema}}.dashboard_job_failure_moved();

        CREATE OR REPLACE FUNCTION {{schema}}.dashboard_job_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            TRUNCATE {{Groups(schema)}};
            RETURN NULL;
        END
        $fn$;
        DROP TRIGGER IF EXISTS dashboard_job_truncated ON {{schema}}.job;
        CREATE TRIGGER dashboard_job_truncated AFTER TRUNCATE ON {{schema}}.job
            FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.dashboard_job_truncated();

        CREATE OR REPLACE FUNCTION {{schema}}.dashboard_rebuild_failure_groups() RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            -- Writers' triggers wait for the recount, then apply their change on top of it.
            LOCK TABLE {{Groups(schema)}} IN EXCLUSIVE MODE;
            DELETE FROM {{Groups(schema)}};
            INSERT INTO {{Groups(schema)}} (signature, jobtype, exceptiontype, failed, firstat, lastat)
            SELECT f.signature, coalesce(f.jobtype, ''), min(f.exceptiontype), count(*), min(f.createdat), max(f.createdat)
            FROM {{schema}}.job j JOIN {{Table(schema)}} f ON f.stateid = j.stateid
            WHERE j.statename = 'Failed'
            GROUP BY f.signature, coalesce(f.jobtype, '');
        END
        $fn$;

        SELECT {{schema}}.dashboard_rebuild_failure_groups();
        """;
}
