using Dashboard.Jobs.Model;
using Dashboard.Jobs.Recurring;
using Dashboard.Web.Hosting;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Components.Pages.Recurring;

public sealed record RecurringJobView(
    string Id,
    string JobType,
    string? Queue,
    string Cron,
    string TimeZone,
    DateTimeOffset? NextRun,
    DateTimeOffset? LastRunAt,
    string? LastJobId,
    string? LastJobState,
    DateTimeOffset? CreatedAt,
    string? Error,
    bool Paused,
    DateTimeOffset? PausedAt,
    string? PausedBy,
    bool Declared)
{
    public string CronDescription => CronDescriber.Describe(Cron);
}

public sealed record RecurringJobsList(DateTimeOffset TakenAt, IReadOnlyList<RecurringJobView> Jobs);

public interface IRecurringJobQueries
{
    /// <summary>Every recurring job; one read per refresh interval for the whole process, however many tabs ask.</summary>
    Task<RecurringJobsList> GetAsync();

    /// <summary>The next <see cref="GetAsync"/> reads storage again (after an action).</summary>
    void Invalidate();
}

/// <summary>
/// The recurring jobs from Hangfire's storage API (a handful of rows: the set of ids and one hash each), plus the
/// pause fields the dashboard keeps in the same hash.
/// </summary>
internal sealed class RecurringJobQueries : IRecurringJobQueries
{
    private readonly JobStorage _storage;
    private readonly TimeProvider _time;
    private readonly SharedReadCache<int, RecurringJobsList> _cache;

    public RecurringJobQueries(JobStorage storage, IOptions<UiOptions> options, TimeProvider time)
    {
        _storage = storage;
        _time = time;
        // Half the push interval: every push finds the last read expired, and all tabs woken by one push share a read.
        _cache = new SharedReadCache<int, RecurringJobsList>(_ => Task.FromResult(Read()), options.Value.RefreshInterval / 2, time);
    }

    public Task<RecurringJobsList> GetAsync() => _cache.GetAsync(0);

    public void Invalidate() => _cache.Invalidate(0);

    private RecurringJobsList Read()
    {
        using var connection = _storage.GetConnection();
        var jobs = connection.GetRecurringJobs()
            .Where(dto => !dto.Removed)
            .Select(dto => View(connection, dto))
            .OrderBy(j => j.Id, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new RecurringJobsList(_time.GetUtcNow(), jobs);
    }

    private static RecurringJobView View(IStorageConnection connection, RecurringJobDto dto)
    {
        var hash = connection.GetAllEntriesFromHash(RecurringJobPause.HashKey(dto.Id)) ?? new Dictionary<string, string>();
        var lastJobId = dto.LastJobId;
        var lastState = dto.LastJobState;
        var lastRunAt = Utc(dto.LastExecution);
        if (string.IsNullOrEmpty(lastJobId)
            && hash.TryGetValue(RecurringJobPause.LastRunJobIdField, out var kept) && !string.IsNullOrEmpty(kept))
        {
            // Paused ticks cleared Hangfire's LastJobId; the last run that really happened was kept aside.
            lastJobId = kept;
            lastState = connection.GetStateData(kept)?.Name;
            lastRunAt = Utc(connection.GetJobData(kept)?.CreatedAt);
        }
        else if (string.IsNullOrEmpty(lastJobId))
        {
            lastJobId = null;
            lastRunAt = null;
        }

        var paused = RecurringJobPause.IsPaused(hash);
        return new RecurringJobView(
            dto.Id,
            dto.Job is { } job ? $"{job.Type.Name}.{job.Method.Name}" : "(cannot load the job's type)",
            QueueOf(dto),
            dto.Cron,
            string.IsNullOrEmpty(dto.TimeZoneId) ? "UTC" : dto.TimeZoneId,
            Utc(dto.NextExecution),
            lastRunAt,
            lastJobId,
            lastState,
            Utc(dto.CreatedAt),
            dto.Error ?? dto.LoadException?.Message,
            paused,
            paused && DateTimeOffset.TryParse(hash[RecurringJobPause.PausedAtField], null, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            paused ? hash.GetValueOrDefault(RecurringJobPause.PausedByField) : null,
            DeclaredRecurringJobs.IsDeclared(dto.Id));
    }

    /// <summary>
    /// Where the runs really go: QueuePolicyFilter puts every enqueue of a class with [JobQueue] in that queue,
    /// whatever queue the recurring job was registered with.
    /// </summary>
    private static string QueueOf(RecurringJobDto dto) =>
        dto.Job?.Type is { } type && Attribute.GetCustomAttribute(type, typeof(JobQueueAttribute)) is JobQueueAttribute declared
            ? declared.Queue
            : string.IsNullOrEmpty(dto.Queue) ? EnqueuedState.DefaultQueue : dto.Queue;

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
