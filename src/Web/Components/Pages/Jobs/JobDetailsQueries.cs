using System.Globalization;
using System.Text.Json;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using Dashboard.Jobs.Hosting;
using Hangfire.States;
using Npgsql;

namespace Dashboard.Web.Components.Pages.Jobs;

/// <param name="Data">The state's data as Hangfire stored it (e.g. Queue, ServerId, ExceptionDetails).</param>
public sealed record JobStateView(string State, string? Reason, DateTimeOffset At, IReadOnlyDictionary<string, string> Data);

public sealed record JobFailureView(string ExceptionType, string Message, string? Details);

/// <summary>A job parameter an operator can act on; <paramref name="Href"/> links to where it is managed.</summary>
public sealed record JobParameterView(string Name, string Value, string? Href);

/// <param name="JobType">The class name, e.g. <c>SendEmailJob</c> (the stored type name when the class cannot be loaded).</param>
/// <param name="History">Every state the job went through, newest first.</param>
/// <param name="NextRetryAt">When the scheduled automatic retry will run; null unless the job waits for one.</param>
/// <param name="LoadError">Why this process cannot load the job's class or method; null when it can (and the job can be copied).</param>
public sealed record JobDetailsView(
    string Id,
    string JobType,
    string Method,
    string Queue,
    string State,
    string? StateReason,
    DateTimeOffset? CreatedAt,
    string ArgumentsJson,
    IReadOnlyList<JobStateView> History,
    JobFailureView? LastFailure,
    int RetryCount,
    DateTimeOffset? NextRetryAt,
    IReadOnlyList<JobParameterView> Parameters,
    string? LoadError = null);

public interface IJobDetailsQueries
{
    /// <summary>The job, or null when there is none with that id (including ids that cannot be one).</summary>
    Task<JobDetailsView?> FindAsync(string jobId, CancellationToken cancellationToken = default);
}

/// <summary>
/// One job read straight from Hangfire's tables (job row, its parameters, its states) in one round trip: cheap
/// whatever the size of the job table, ids beyond Hangfire.PostgreSql's int-only monitoring API included, and the
/// stored type and arguments stay readable when this process cannot load the job's class.
/// </summary>
internal sealed class JobDetailsQueries(HangfireDatabase database) : IJobDetailsQueries
{
    // The arguments are shown as text (Blazor escapes it for HTML), so the serializer need not escape <, > and quotes
    // as \u003C: an operator reads what the job was given, markup included, as characters.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Set by Hangfire's culture filter on every job; noise for an operator. RetryCount has its own line.</summary>
    private static readonly HashSet<string> HiddenParameters = new(StringComparer.Ordinal)
    {
        "CurrentCulture", "CurrentUICulture", RetryFilter.RetryCountParameter,
    };

    public async Task<JobDetailsView?> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (!JobIds.IsWellFormed(jobId))
        {
            return null;
        }

        var id = long.Parse(jobId, CultureInfo.InvariantCulture);
        await using var connection = await database.OpenReadAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command($"SELECT invocationdata::text, arguments::text, createdat FROM {database.Schema}.job WHERE id = $1", id),
                Command($"SELECT name, value FROM {database.Schema}.jobparameter WHERE jobid = $1", id),
                Command($"SELECT name, reason, createdat, data::text FROM {database.Schema}.state WHERE jobid = $1 ORDER BY id DESC", id),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var stored = StoredJob.From(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        DateTimeOffset created = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);

        await reader.NextResultAsync(cancellationToken);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            parameters[reader.GetString(0)] = ParameterValue(reader.IsDBNull(1) ? null : reader.GetString(1));
        }

        await reader.NextResultAsync(cancellationToken);
        var history = new List<JobStateView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(new JobStateView(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                StateData.Parse(reader.IsDBNull(3) ? null : reader.GetString(3))));
        }

        return Build(jobId, stored, created, parameters, history);
    }

    private static JobDetailsView Build(
        string jobId, StoredJob stored, DateTimeOffset created, Dictionary<string, string> parameters, List<JobStateView> history)
    {
        var current = history.FirstOrDefault();
        var queue = history
            .Where(h => h.State == EnqueuedState.StateName)
            .Select(h => h.Data.GetValueOrDefault("Queue"))
            .FirstOrDefault(q => q is not null) ?? stored.Job?.Queue ?? EnqueuedState.DefaultQueue;
        var failure = history
            .Where(h => h.State == FailedState.StateName)
            .Select(h => new JobFailureView(
                h.Data.GetValueOrDefault("ExceptionType") ?? "Exception",
                h.Data.GetValueOrDefault("ExceptionMessage") ?? h.Reason ?? "",
                h.Data.GetValueOrDefault("ExceptionDetails")))
            .FirstOrDefault();
        var retries = parameters.TryGetValue(RetryFilter.RetryCountParameter, out var count)
            && int.TryParse(count, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

        // A retry is a Scheduled state that the retry filter put there (it counts the retry as it schedules it).
        var nextRetry = current is { State: JobStateNames.Scheduled } && retries > 0
            ? StateData.Time(current.Data, "EnqueueAt")
            : null;

        return new JobDetailsView(
            jobId,
            stored.Job?.Type.Name ?? stored.TypeName,
            stored.Job?.Method.Name ?? stored.MethodName,
            queue,
            current?.State ?? "(none)",
            current?.Reason,
            created,
            ArgumentsOf(stored),
            history,
            failure,
            retries,
            nextRetry,
            [.. parameters.Where(p => !HiddenParameters.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new JobParameterView(p.Key, p.Value, LinkOf(p.Key)))],
            stored.LoadError);
    }

    private static NpgsqlBatchCommand Command(string sql, long id) => new(sql) { Parameters = { new NpgsqlParameter { Value = id } } };

    private static string? LinkOf(string parameter) => parameter switch
    {
        "RecurringJobId" => "/recurring",
        JobEnqueuer.QueueParameter => "/queues",
        _ => null,
    };

    /// <summary>Hangfire stores parameters as JSON: strings arrive quoted.</summary>
    private static string ParameterValue(string? raw)
    {
        if (raw is null)
        {
            return "";
        }

        if (raw.StartsWith('"'))
        {
            try
            {
                return JsonSerializer.Deserialize<string>(raw) ?? "";
            }
            catch (JsonException)
            {
                return raw;
            }
        }

        return raw;
    }

    private static string ArgumentsOf(StoredJob stored)
    {
        if (stored.Job is not { } job)
        {
            // The job's type could not be loaded in this process; the stored JSON is still worth showing.
            return stored.RawArguments ?? "[]";
        }

        // The token Hangfire substitutes at run time carries nothing an operator needs to see.
        var named = job.Method.GetParameters()
            .Zip(job.Args)
            .Where(p => p.First.ParameterType != typeof(CancellationToken))
            .ToDictionary(p => p.First.Name ?? "arg", p => p.Second);
        return JsonSerializer.Serialize(named, Indented);
    }
}
