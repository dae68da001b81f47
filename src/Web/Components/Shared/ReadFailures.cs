using System.Globalization;
using Dashboard.Data.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Web.Components.Shared;

/// <summary>What a page shows instead of the data it could not read.</summary>
/// <param name="TimedOut">PostgreSQL stopped the read at the dashboard's statement timeout: a narrower filter helps.</param>
/// <param name="Reference">The correlation id in the message and the log; null for a timeout, which is not logged as an error.</param>
public sealed record ReadFailure(string Message, bool TimedOut, string? Reference = null);

/// <summary>
/// The one way pages turn a failed read into words (DESIGN.md §8: the log has the exception, the page a short
/// message and a reference, never the database's text). A read stopped by <see cref="DatabaseOptions.ReadStatementTimeout"/>
/// (SQLSTATE 57014) says so and asks for a narrower filter; anything else is "cannot read" with the reference.
/// </summary>
public sealed partial class ReadFailures(IOptions<DatabaseOptions> options, ILogger<ReadFailures> logger)
{
    public const string NarrowTheFilter = "Narrow the filter (a queue, a state, a shorter time range) and try again.";

    public TimeSpan Timeout => options.Value.ReadStatementTimeout;

    /// <param name="what">The read, as the start of a sentence: "The search", "Reading the job".</param>
    /// <param name="advice">What helps when it was too slow; <see cref="NarrowTheFilter"/> for pages with filters.</param>
    public ReadFailure Describe(Exception exception, string what, string advice = NarrowTheFilter)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (IsStatementTimeout(exception))
        {
            LogTimedOut(logger, what, Timeout.TotalMilliseconds, exception.Message);
            return new ReadFailure($"{what} took longer than {Limit(Timeout)} and was stopped. {advice}", true);
        }

        var reference = Guid.NewGuid().ToString("N")[..8];
        LogFailed(logger, what, reference, exception);
        return new ReadFailure($"{what} failed: the database cannot be read right now. Reference {reference} (the details are in the server log).", false, reference);
    }

    /// <summary>
    /// An action that failed for a reason the user cannot act on (the database, a bug): logged with a reference, and
    /// the page says what failed with that reference, never the exception's text.
    /// </summary>
    /// <param name="what">The action, as the start of a sentence: "Requeueing job 42".</param>
    public ReadFailure DescribeAction(Exception exception, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reference = Guid.NewGuid().ToString("N")[..8];
        LogFailed(logger, what, reference, exception);
        return new ReadFailure($"{what} failed. Reference {reference} (the details are in the server log).", false, reference);
    }

    /// <summary>
    /// PostgreSQL cancelled the statement (57014) of its own accord: the statement timeout. A cancellation asked for by
    /// the caller's token arrives as an <see cref="OperationCanceledException"/> instead and is not a failure to show.
    /// </summary>
    public static bool IsStatementTimeout(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException)
            {
                return false;
            }

            if (e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled })
            {
                return true;
            }
        }

        return false;
    }

    private static string Limit(TimeSpan timeout) => timeout < TimeSpan.FromSeconds(1)
        ? $"{Math.Max(1, (int)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)} ms"
        : Durations.Format(timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} was stopped by the dashboard's read timeout ({TimeoutMs} ms): {Reason}")]
    private static partial void LogTimedOut(ILogger logger, string what, double timeoutMs, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{What} failed (reference {Reference})")]
    private static partial void LogFailed(ILogger logger, string what, string reference, Exception exception);
}
