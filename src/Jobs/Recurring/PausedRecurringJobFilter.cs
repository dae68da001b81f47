using Hangfire.Client;
using Microsoft.Extensions.Logging;

namespace Dashboard.Jobs.Recurring;

/// <summary>
/// Cancels the creation of a run of a paused recurring job (see <see cref="RecurringJobPause"/>). Only jobs created
/// for a recurring job carry the <c>RecurringJobId</c> parameter, so ordinary enqueues cost nothing extra; a
/// scheduled run costs one read of the recurring job's hash.
/// </summary>
public sealed partial class PausedRecurringJobFilter(ILogger<PausedRecurringJobFilter> logger) : IClientFilter
{
    public void OnCreating(CreatingContext context)
    {
        if (RecurringJobPause.IsManualTrigger
            || !context.Parameters.TryGetValue("RecurringJobId", out var value)
            || value is not string recurringJobId)
        {
            return;
        }

        var key = RecurringJobPause.HashKey(recurringJobId);
        var hash = context.Connection.GetAllEntriesFromHash(key);
        if (!RecurringJobPause.IsPaused(hash))
        {
            return;
        }

        // The scheduler is about to overwrite LastJobId with nothing; keep the last run that really happened.
        if (hash!.TryGetValue("LastJobId", out var lastJobId) && !string.IsNullOrEmpty(lastJobId))
        {
            context.Connection.SetRangeInHash(key, [new(RecurringJobPause.LastRunJobIdField, lastJobId)]);
        }

        context.Canceled = true;
        LogSkipped(logger, recurringJobId);
    }

    public void OnCreated(CreatedContext context)
    {
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Id} is paused: this run is skipped")]
    private static partial void LogSkipped(ILogger logger, string id);
}
