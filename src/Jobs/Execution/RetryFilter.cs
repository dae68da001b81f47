using System.Globalization;
using Dashboard.Jobs.Model;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace Dashboard.Jobs.Execution;

/// <summary>
/// Replaces Hangfire's AutomaticRetry: a failed attempt becomes a scheduled retry after 2^attempt seconds (capped,
/// with jitter) until the job's attempts are used up; then, or at once for a non-retryable error, the job stays in
/// Failed with its full exception (or is deleted, when its <c>[AutomaticRetry]</c> says so). The failed attempt
/// itself stays in the job's history either way. What AutomaticRetry also did is kept: the <c>retries</c> set behind
/// Hangfire's Retries page, a warning for each retry and an error for each final failure.
/// </summary>
public sealed partial class RetryFilter(RetryPolicy policy, JobCatalog catalog, ILogger<RetryFilter> logger)
    : JobFilterAttribute, IElectStateFilter, IApplyStateFilter
{
    /// <summary>Job parameter holding the number of retries so far (Hangfire's own name, so its UI shows it).</summary>
    public const string RetryCountParameter = "RetryCount";

    /// <summary>Hangfire's set of jobs waiting for a retry; its dashboard's Retries page and counter read it.</summary>
    public const string RetriesSet = "retries";

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState failed)
        {
            return;
        }

        var job = context.BackgroundJob;
        var rule = policy.RuleFor(job.Job?.Type, job.Job?.Method);
        var attempt = context.GetJobParameter<int>(RetryCountParameter, allowStale: true) + 1;
        var jobType = NameOf(job.Job?.Type);

        if (RetryPolicy.IsNonRetryable(failed.Exception))
        {
            failed.Reason = $"Not retried: {failed.Exception.Message}";
            LogFinalFailure(logger, failed.Exception, job.Id, jobType, attempt, rule.Attempts, failed.Reason);
            return;
        }

        if (attempt >= rule.Attempts)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"Failed after {attempt} attempt(s): {failed.Exception.Message}");
            if (rule.DeleteWhenExhausted)
            {
                // What [AutomaticRetry(OnAttemptsExceeded = Delete)] asks for. Hangfire 1.8.25's DeletedState keeps no
                // exception: the reason has its message, the error logged below has all of it.
                reason = string.Create(CultureInfo.InvariantCulture, $"Deleted after {attempt} attempt(s): {failed.Exception.Message}");
                context.CandidateState = new DeletedState { Reason = reason };
            }
            else
            {
                failed.Reason = reason;
            }

            LogFinalFailure(logger, failed.Exception, job.Id, jobType, attempt, rule.Attempts, reason);
            return;
        }

        var delay = policy.DelayAfter(attempt, Random.Shared.NextDouble());
        context.SetJobParameter(RetryCountParameter, attempt);
        context.CandidateState = new RetryScheduledState(delay)
        {
            Reason = string.Create(
                CultureInfo.InvariantCulture,
                $"Retry {attempt} of {rule.Attempts - 1} in {delay.TotalSeconds:0.#} s after {failed.Exception.GetType().Name}: {failed.Exception.Message}"),
        };
        LogRetryScheduled(
            logger,
            failed.Exception,
            job.Id,
            jobType,
            attempt,
            rule.Attempts,
            Math.Round(delay.TotalSeconds, 1),
            $"{failed.Exception.GetType().Name}: {failed.Exception.Message}");
    }

    /// <summary>
    /// A job enters the set in the transaction that schedules its retry. Only our own retry state counts: a later
    /// filter may still replace the candidate, and a job scheduled for another reason is no retry.
    /// </summary>
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is RetryScheduledState)
        {
            transaction.AddToSet(RetriesSet, context.BackgroundJob.Id);
        }
    }

    /// <summary>
    /// As Hangfire's AutomaticRetry: a job leaves the set when it leaves the state its retry waits in (enqueued for
    /// the retry, deleted, requeued by an operator) or leaves Failed, in the same transaction. So the set holds the
    /// jobs waiting for a retry, the same jobs the overview counts as retries.
    /// </summary>
    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (string.Equals(context.OldStateName, ScheduledState.StateName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(context.OldStateName, FailedState.StateName, StringComparison.OrdinalIgnoreCase))
        {
            transaction.RemoveFromSet(RetriesSet, context.BackgroundJob.Id);
        }
    }

    private string NameOf(Type? type) => (type is null ? null : catalog.Find(type)?.Name) ?? type?.Name ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) failed on attempt {Attempt} of {Attempts}; retrying in {RetryInSeconds} s: {Reason}")]
    private static partial void LogRetryScheduled(
        ILogger logger, Exception exception, string jobId, string jobType, int attempt, int attempts, double retryInSeconds, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Job {JobId} ({JobType}) failed on attempt {Attempt} of {Attempts} and will not be retried: {Reason}")]
    private static partial void LogFinalFailure(
        ILogger logger, Exception exception, string jobId, string jobType, int attempt, int attempts, string reason);

    /// <summary>
    /// Hangfire's Scheduled state, stored exactly the same (state name and data); the type only tells
    /// <see cref="OnStateApplied"/> that this schedule is a retry elected here.
    /// </summary>
    private sealed class RetryScheduledState(TimeSpan delay) : ScheduledState(delay);
}
