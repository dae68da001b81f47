using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Maintenance;
using Dashboard.Jobs.Model;
using Hangfire;
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

    [Fact]
    public void RuleFor_HangfireAutomaticRetryOnClass_CountsItsRetriesPlusTheFirstRun()
    {
        var rule = Policy(new RetryOptions { DefaultAttempts = 9 }, TestCatalog).RuleFor(typeof(HangfireRetryClassJob), method: null);

        Assert.Equal(new RetryRule(Attempts: 3, DeleteWhenExhausted: false), rule);
    }

    [Fact]
    public void RuleFor_HangfireAutomaticRetryOnMethod_WinsOverTheClassAndCarriesDelete()
    {
        var method = typeof(HangfireRetryClassJob).GetMethod(nameof(HangfireRetryClassJob.DeleteAfterFirstFailure))!;

        var rule = Policy(new RetryOptions(), TestCatalog).RuleFor(typeof(HangfireRetryClassJob), method);

        Assert.Equal(new RetryRule(Attempts: 1, DeleteWhenExhausted: true), rule);
    }

    [Fact]
    public void RuleFor_ConfigurationOverride_WinsOverHangfireAttribute()
    {
        var options = new RetryOptions { Attempts = { ["hangfire-retry-class"] = 6 } };

        Assert.Equal(new RetryRule(6, false), Policy(options, TestCatalog).RuleFor(typeof(HangfireRetryClassJob), method: null));
    }

    [Fact]
    public void EnsureAttributesAreHonoured_OurJobs_Pass()
    {
        RetryPolicy.EnsureAttributesAreHonoured(Catalog);
        RetryPolicy.EnsureAttributesAreHonoured(TestCatalog);
    }

    [Theory]
    [InlineData(typeof(BothAttributesJob), "carries both [Attempts] and [AutomaticRetry]")]
    [InlineData(typeof(HangfireDelaysJob), "DelaysInSeconds")]
    [InlineData(typeof(HangfireExceptOnJob), "OnlyOn/ExceptOn")]
    public void EnsureAttributesAreHonoured_AttributeThePolicyCannotCarryOut_RefusesNamingTheClass(Type jobType, string problem)
    {
        var catalog = new JobCatalog([new JobDescriptor("refused", jobType, typeof(NoArgs), "default", jobType.GetCustomAttribute<AttemptsAttribute>()?.Attempts)]);

        var error = Assert.Throws<InvalidOperationException>(() => RetryPolicy.EnsureAttributesAreHonoured(catalog));

        Assert.Contains(jobType.FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private static readonly JobCatalog TestCatalog = new([new JobDescriptor("hangfire-retry-class", typeof(HangfireRetryClassJob), typeof(NoArgs), "default", null)]);

    private static RetryPolicy Policy(RetryOptions options, JobCatalog? catalog = null) => new(Options.Create(options), catalog ?? Catalog);
}

public sealed record NoArgs;

[AutomaticRetry(Attempts = 2)]
public sealed class HangfireRetryClassJob : IJob<NoArgs>
{
    public Task RunAsync(NoArgs args, CancellationToken cancellationToken) => Task.CompletedTask;

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public void DeleteAfterFirstFailure()
    {
    }
}

[Attempts(4)]
[AutomaticRetry(Attempts = 2)]
public sealed class BothAttributesJob : IJob<NoArgs>
{
    public Task RunAsync(NoArgs args, CancellationToken cancellationToken) => Task.CompletedTask;
}

[AutomaticRetry(Attempts = 2, DelaysInSeconds = [1, 2])]
public sealed class HangfireDelaysJob : IJob<NoArgs>
{
    public Task RunAsync(NoArgs args, CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class HangfireExceptOnJob : IJob<NoArgs>
{
    [AutomaticRetry(Attempts = 2, ExceptOn = [typeof(TimeoutException)])]
    public Task RunAsync(NoArgs args, CancellationToken cancellationToken) => Task.CompletedTask;
}
