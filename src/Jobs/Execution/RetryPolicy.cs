using System.Reflection;
using Dashboard.Jobs.Model;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Execution;

/// <summary>The numbers of the retry policy: how many attempts a job gets, how long to wait, what not to retry.</summary>
public sealed class RetryPolicy(IOptions<RetryOptions> options, JobCatalog catalog)
{
    private readonly RetryOptions _options = options.Value;

    public int AttemptsFor(Type? jobType) => RuleFor(jobType, method: null).Attempts;

    /// <summary>
    /// The rule for one job, first match wins: <c>Dashboard:Retry:Attempts:&lt;job-name&gt;</c>, our
    /// <see cref="AttemptsAttribute"/>, Hangfire's <see cref="AutomaticRetryAttribute"/> on the method then the class
    /// (its <c>Attempts</c> counts retries, ours count runs, hence the +1), the configured default.
    /// </summary>
    public RetryRule RuleFor(Type? jobType, MethodInfo? method)
    {
        var descriptor = jobType is null ? null : catalog.Find(jobType);
        if (descriptor is not null && _options.Attempts.TryGetValue(descriptor.Name, out var configured) && configured >= 1)
        {
            return new RetryRule(configured, DeleteWhenExhausted: false);
        }

        var attempts = descriptor?.Attempts ?? jobType?.GetCustomAttribute<AttemptsAttribute>(inherit: false)?.Attempts;
        if (attempts is { } ours)
        {
            return new RetryRule(ours, DeleteWhenExhausted: false);
        }

        var hangfire = HangfireAttribute(jobType, method);
        if (hangfire is not null)
        {
            return new RetryRule(hangfire.Attempts + 1, hangfire.OnAttemptsExceeded == AttemptsExceededAction.Delete);
        }

        return new RetryRule(_options.DefaultAttempts, DeleteWhenExhausted: false);
    }

    /// <summary>Hangfire's retry attribute of a job, the method's before the class's (Hangfire's own precedence).</summary>
    public static AutomaticRetryAttribute? HangfireAttribute(Type? jobType, MethodInfo? method) =>
        method?.GetCustomAttribute<AutomaticRetryAttribute>(inherit: true)
        ?? jobType?.GetCustomAttribute<AutomaticRetryAttribute>(inherit: true);

    /// <summary>
    /// Start-up check of the retry attributes of our job classes: the parts of Hangfire's <see cref="AutomaticRetryAttribute"/>
    /// this policy does not carry out (its own delays, OnlyOn, ExceptOn) and a class that also says <c>[Attempts]</c>
    /// would be silently different from what the code reads, so the app refuses to start and names the class.
    /// </summary>
    public static void EnsureAttributesAreHonoured(JobCatalog catalog)
    {
        foreach (var job in catalog.Jobs)
        {
            var hangfire = HangfireAttribute(job.JobType, job.JobType.GetMethod(nameof(IJob<object>.RunAsync), [job.ArgsType, typeof(CancellationToken)]));
            if (hangfire is null)
            {
                continue;
            }

            var problem = job.Attempts is not null ? "carries both [Attempts] and [AutomaticRetry]; keep one of the two"
                : hangfire.DelaysInSeconds is not null ? "sets [AutomaticRetry(DelaysInSeconds)]; the backoff of Dashboard:Retry applies to every job"
                : hangfire.OnlyOn is not null || hangfire.ExceptOn is not null
                    ? "sets [AutomaticRetry(OnlyOn/ExceptOn)]; throw NonRetryableJobException for failures not worth retrying"
                : null;
            if (problem is not null)
            {
                throw new InvalidOperationException(
                    $"Job class {job.JobType.FullName} {problem}. Of Hangfire's [AutomaticRetry] only Attempts and OnAttemptsExceeded are honoured (README, Retries and dead letters).");
            }
        }
    }

    /// <summary>Wait before the retry that follows failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt, double random01)
    {
        var seconds = Math.Pow(2, Math.Clamp(attempt, 1, 30));
        var jitter = 1 + (_options.Jitter * ((random01 * 2) - 1));
        var delay = TimeSpan.FromSeconds(seconds * jitter);
        return delay > _options.MaxDelay ? _options.MaxDelay : delay;
    }

    /// <summary>Errors that retrying cannot fix.</summary>
    public static bool IsNonRetryable(Exception? exception) => exception switch
    {
        null => false,
        NonRetryableJobException => true,
        System.ComponentModel.DataAnnotations.ValidationException => true,
        // A job whose class or method no longer exists (a deploy removed or renamed it): it will not come back by waiting.
        Hangfire.Common.JobLoadException or TypeLoadException or MissingMethodException => true,
        _ => exception.InnerException is not null && exception is AggregateException && IsNonRetryable(exception.InnerException),
    };
}

/// <summary>How many runs a job gets in all, and whether it is deleted instead of kept in Failed when they are used up.</summary>
public sealed record RetryRule(int Attempts, bool DeleteWhenExhausted);
