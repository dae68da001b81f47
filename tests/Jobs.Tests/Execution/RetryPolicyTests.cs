using System.ComponentModel.DataAnnotations;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Maintenance;
using Dashboard.Jobs.Model;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Tests.Execution;

public sealed class RetryPolicyTests
{
    private static readonly JobCatalog Catalog = JobCatalog.FromAssembly(typeof(DiagnosticsJob).Assembly);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(6, 64)]
    [InlineData(8, 256)]
    public void DelayAfter_NoJitter_IsTwoToTheAttemptSeconds(int attempt, double seconds)
    {
        var policy = Policy(new RetryOptions { Jitter = 0 });

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.DelayAfter(attempt, 0.5));
    }

    [Fact]
    public void DelayAfter_LateAttempts_AreCappedAtMaxDelay()
    {
        var policy = Policy(new RetryOptions { MaxDelay = TimeSpan.FromMinutes(5) });

        Assert.Equal(TimeSpan.FromMinutes(5), policy.DelayAfter(9, 1.0));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.DelayAfter(30, 0.0));
    }

    [Fact]
    public void DelayAfter_WithWorstCaseJitter_StillGrowsEveryAttempt()
    {
        var policy = Policy(new RetryOptions { Jitter = 0.33, MaxDelay = TimeSpan.FromDays(1) });

        for (var attempt = 1; attempt < 12; attempt++)
        {
            // The longest wait after this attempt is shorter than the shortest after the next one.
            Assert.True(policy.DelayAfter(attempt, 1.0) < policy.DelayAfter(attempt + 1, 0.0), $"attempt {attempt}");
        }
    }

    [Fact]
    public void DelayAfter_Jitter_StaysWithinItsBand()
    {
        var policy = Policy(new RetryOptions { Jitter = 0.1 });

        Assert.Equal(TimeSpan.FromSeconds(3.6), policy.DelayAfter(2, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(4.4), policy.DelayAfter(2, 1.0));
    }

    [Fact]
    public void AttemptsFor_ClassWithAttribute_UsesIt()
    {
        Assert.Equal(3, Policy(new RetryOptions { DefaultAttempts = 9 }).AttemptsFor(typeof(DiagnosticsJob)));
    }

    [Fact]
    public void AttemptsFor_ConfigurationOverride_WinsOverAttribute()
    {
        var options = new RetryOptions { Attempts = { ["diagnostics"] = 7 } };

        Assert.Equal(7, Policy(options).AttemptsFor(typeof(DiagnosticsJob)));
    }

    [Fact]
    public void AttemptsFor_UnknownType_UsesDefault()
    {
        Assert.Equal(4, Policy(new RetryOptions { DefaultAttempts = 4 }).AttemptsFor(typeof(string)));
        Assert.Equal(4, Policy(new RetryOptions { DefaultAttempts = 4 }).AttemptsFor(null));
    }

    [Fact]
    public void IsNonRetryable_ClassifiesErrors()
    {
        Assert.True(RetryPolicy.IsNonRetryable(new NonRetryableJobException("bad")));
        Assert.True(RetryPolicy.IsNonRetryable(new ValidationException("bad")));
        Assert.True(RetryPolicy.IsNonRetryable(new AggregateException(new NonRetryableJobException("bad"))));
        Assert.True(RetryPolicy.IsNonRetryable(new TypeLoadException("gone")));
        Assert.False(RetryPolicy.IsNonRetryable(new TimeoutException()));
        Assert.False(RetryPolicy.IsNonRetryable(new InvalidOperationException("transient")));
        Assert.False(RetryPolicy.IsNonRetryable(null));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)] // the hour the roll-up starts in can begin up to an hour before now - RollupWindow
    [InlineData(4, true)]
    public void RetentionOptions_MinuteRetentionAgainstRollupWindow_NeedsAnHourMore(int minuteHours, bool valid)
    {
        var options = new RetentionOptions { MinuteMetrics = TimeSpan.FromHours(minuteHours), RollupWindow = TimeSpan.FromHours(3) };

        var errors = Hosting.HangfireOptionsTests.Validate(options).ToList();

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains("Dashboard:Retention:MinuteMetrics", Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    private static RetryPolicy Policy(RetryOptions options) => new(Options.Create(options), Catalog);
}
