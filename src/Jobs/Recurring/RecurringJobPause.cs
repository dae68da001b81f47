using Hangfire.Storage;

namespace Dashboard.Jobs.Recurring;

/// <summary>
/// Pausing a recurring job. Hangfire 1.8 has no pause, so the flag is stored as extra fields in the recurring job's
/// own hash (<c>recurring-job:&lt;id&gt;</c>) and <see cref="PausedRecurringJobFilter"/> cancels the runs the scheduler
/// tries to create while it is set.
/// <para>
/// Why this design (read against Hangfire 1.8's RecurringJobScheduler, RecurringJobManager and RecurringJobEntity):
/// the scheduler creates each run through the client filter pipeline with a <c>RecurringJobId</c> parameter; when a
/// filter cancels the creation it logs "execution … has been canceled", still computes the next execution and keeps
/// the job in its schedule, so a paused job is skipped tick after tick without errors or retries. AddOrUpdate (our
/// registrar at every start, or any developer code) writes only the fields it knows, so the flag survives restarts
/// and re-registration; RemoveIfExists deletes the whole hash, so a removed job does not come back paused. The
/// alternatives were worse: a "never" cron is undone by the next AddOrUpdate and loses the real schedule, and a
/// separate table or set outlives the job it describes.
/// </para>
/// <para>
/// A cancelled run clears the hash's <c>LastJobId</c>; the filter first copies it to <see cref="LastRunJobIdField"/>
/// so the page can still show the last real run. An operator's "Trigger now" runs inside
/// <see cref="AllowManualTrigger"/>, which the filter lets through: triggering a paused job runs it once.
/// </para>
/// </summary>
public static class RecurringJobPause
{
    /// <summary>When the job was paused (ISO 8601, UTC); empty or absent when it is not paused.</summary>
    public const string PausedAtField = "Dashboard.PausedAt";

    public const string PausedByField = "Dashboard.PausedBy";

    /// <summary>The id of the last job that really ran, kept while paused ticks clear Hangfire's own LastJobId.</summary>
    public const string LastRunJobIdField = "Dashboard.LastRunJobId";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(15);
    private static readonly AsyncLocal<bool> ManualTrigger = new();

    internal static bool IsManualTrigger => ManualTrigger.Value;

    public static string HashKey(string recurringJobId) => $"recurring-job:{recurringJobId}";

    public static bool IsPaused(IReadOnlyDictionary<string, string>? hash) =>
        hash is not null && hash.TryGetValue(PausedAtField, out var at) && !string.IsNullOrEmpty(at);

    /// <summary>
    /// Runs created by the caller's flow until disposed are not cancelled for being paused. Set it around
    /// <c>IRecurringJobManager.Trigger</c>, which creates the job synchronously on the calling thread.
    /// </summary>
    public static IDisposable AllowManualTrigger()
    {
        var previous = ManualTrigger.Value;
        ManualTrigger.Value = true;
        return new Restore(previous);
    }

    /// <summary>Sets or clears the flag. False when there is no such recurring job (nothing is written then).</summary>
    public static bool SetPaused(IStorageConnection connection, string recurringJobId, bool paused, string pausedBy, DateTimeOffset at)
    {
        // Hangfire's own lock for this recurring job: the scheduler, Trigger, AddOrUpdate and RemoveIfExists take it,
        // so the flag is never written to a job that is being removed, and never half-way through a scheduler tick.
        using var _ = connection.AcquireDistributedLock($"lock:{HashKey(recurringJobId)}", LockTimeout);
        var hash = connection.GetAllEntriesFromHash(HashKey(recurringJobId));
        if (hash is null || !hash.ContainsKey("Job"))
        {
            return false;
        }

        // The storage API can set hash fields but not delete one: "not paused" is an empty value.
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash(HashKey(recurringJobId), new Dictionary<string, string>
        {
            [PausedAtField] = paused ? at.UtcDateTime.ToString("O") : "",
            [PausedByField] = paused ? pausedBy : "",
        });
        transaction.Commit();
        return true;
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => ManualTrigger.Value = previous;
    }
}

/// <summary>The recurring jobs this application declares (and re-registers at every start unless disabled).</summary>
public static class DeclaredRecurringJobs
{
    public static bool IsDeclared(string recurringJobId) => RecurringJobsRegistrar.Declarations.Any(d => d.Id == recurringJobId);
}
