using Dashboard.Web.Components.Shared;
using Dashboard.Data.Database;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Web.Tests.Pages;

public sealed class ReadFailuresTests
{
    [Fact]
    public void Describe_StatementTimeout_SaysHowLongAndAdvises()
    {
        var failure = Failures(TimeSpan.FromSeconds(5)).Describe(StatementTimeout.Error(), "The search");

        Assert.True(failure.TimedOut);
        Assert.Equal("The search took longer than 5 s and was stopped. " + ReadFailures.NarrowTheFilter, failure.Message);
    }

    [Fact]
    public void Describe_SubSecondTimeout_InMilliseconds()
    {
        var failure = Failures(TimeSpan.FromMilliseconds(1)).Describe(new InvalidOperationException("wrapped", StatementTimeout.Error()), "The search", "Try again.");

        Assert.True(failure.TimedOut);
        Assert.Equal("The search took longer than 1 ms and was stopped. Try again.", failure.Message);
    }

    [Fact]
    public void IsStatementTimeout_CancelledByTheCaller_IsNot()
    {
        // Npgsql reports a cancellation the caller's token asked for as 57014 inside an OperationCanceledException.
        Assert.False(ReadFailures.IsStatementTimeout(new OperationCanceledException("cancelled", StatementTimeout.Error())));
        Assert.False(ReadFailures.IsStatementTimeout(new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected)));
    }

    [Fact]
    public void Describe_OtherFailure_GivesAReferenceNotTheText()
    {
        var failure = Failures(TimeSpan.FromSeconds(5)).Describe(
            new PostgresException("relation \"hangfire.job\" does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable), "The search");

        Assert.False(failure.TimedOut);
        Assert.StartsWith("The search failed: the database cannot be read right now. Reference ", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hangfire.job", failure.Message, StringComparison.Ordinal);
    }

    private static ReadFailures Failures(TimeSpan timeout) =>
        new(Options.Create(new DatabaseOptions { ReadStatementTimeout = timeout }), NullLogger<ReadFailures>.Instance);
}
