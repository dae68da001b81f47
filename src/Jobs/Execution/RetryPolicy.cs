using Dashboard.Jobs.Model;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Execution;

/// <summary>The numbers of the retry policy: how many attempts a job gets, how long to wait, what not to retry.</summary>
public sealed class RetryPolicy(IOptions<RetryOptions> options, JobCatalog catalog)
{
    private readonly RetryOptions _options = options.Value;

    public int AttemptsFor(Type? jobType)
    {
        var descriptor = jobType is null ? null : catalog.Find(jobType);
        if (descriptor is not null && _options.Attempts.TryGetValue(descriptor.Name, out var configured) && configured >= 1)
        {
            return configured;
        }

        return descriptor?.Attempts ?? _options.DefaultAttempts;
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
