using Dashboard.Jobs.Maintenance;
using Dashboard.Jobs.Model;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Jobs.Recurring;

/// <summary>
/// The one place recurring jobs are declared. Each has a default schedule here; <c>Dashboard:Recurring</c> can change
/// the cron and time zone or switch it off. AddOrUpdate is idempotent and Hangfire schedules a recurring job under a
/// distributed lock, so every worker replica may run this at start-up and each job still fires once per tick.
/// An operator's pause (<see cref="RecurringJobPause"/>) survives this: AddOrUpdate writes only Hangfire's own fields
/// of the recurring job's hash and leaves the pause fields alone, so a paused job stays paused across restarts.
/// </summary>
internal sealed partial class RecurringJobsRegistrar(
    IRecurringJobManager manager,
    JobStorage storage,
    IConfiguration configuration,
    ILogger<RecurringJobsRegistrar> logger) : IHostedService
{
    public const string Section = "Dashboard:Recurring";

    /// <summary>The declared recurring jobs: id (the job's name), default cron, and how to call it.</summary>
    internal static readonly IReadOnlyList<RecurringDeclaration> Declarations =
    [
        new(JobCatalog.NameOf(typeof(AggregateMetricsJob)), "*/5 * * * *",
            (m, id, cron, options) => m.AddOrUpdate<AggregateMetricsJob>(id, j => j.RunAsync(new AggregateMetricsArgs(), CancellationToken.None), cron, options)),
        new(JobCatalog.NameOf(typeof(PurgeExpiredDataJob)), "17 3 * * *",
            (m, id, cron, options) => m.AddOrUpdate<PurgeExpiredDataJob>(id, j => j.RunAsync(new PurgeExpiredDataArgs(), CancellationToken.None), cron, options)),
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var declaration in Declarations)
        {
            var settings = configuration.GetSection($"{Section}:{declaration.Id}").Get<RecurringJobSettings>() ?? new RecurringJobSettings();
            if (!settings.Enabled)
            {
                manager.RemoveIfExists(declaration.Id);
                LogDisabled(logger, declaration.Id);
                continue;
            }

            var cron = string.IsNullOrWhiteSpace(settings.Cron) ? declaration.DefaultCron : settings.Cron;
            var options = new RecurringJobOptions { TimeZone = FindTimeZone(declaration.Id, settings.TimeZone) };
            try
            {
                declaration.Register(manager, declaration.Id, cron, options);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException($"{Section}:{declaration.Id}:Cron '{cron}' is not a valid cron expression: {ex.Message}", ex);
            }

            LogRegistered(logger, declaration.Id, cron, options.TimeZone.Id);
            if (IsPaused(declaration.Id))
            {
                LogStillPaused(logger, declaration.Id);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool IsPaused(string id)
    {
        using var connection = storage.GetConnection();
        return RecurringJobPause.IsPaused(connection.GetAllEntriesFromHash(RecurringJobPause.HashKey(id)));
    }

    private static TimeZoneInfo FindTimeZone(string id, string zone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new InvalidOperationException($"{Section}:{id}:TimeZone '{zone}' is not a known time zone.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Id}: {Cron} ({TimeZone})")]
    private static partial void LogRegistered(ILogger logger, string id, string cron, string timeZone);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Id} stays paused until an operator resumes it")]
    private static partial void LogStillPaused(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Id} is disabled and removed")]
    private static partial void LogDisabled(ILogger logger, string id);
}

internal sealed record RecurringDeclaration(string Id, string DefaultCron, Action<IRecurringJobManager, string, string, RecurringJobOptions> Register);
