using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Execution;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs;

/// <summary>
/// Hangfire's <c>[AutomaticRetry]</c> on a job is read by our retry policy (Attempts, OnAttemptsExceeded) and never
/// runs as a second retry filter; Hangfire's global AutomaticRetry is gone from the running app.
/// </summary>
public sealed class AutomaticRetryAttributeTests(PostgresServerFixture postgres)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Keep the waits short: the backoff itself has its own tests.
        ["Dashboard:Retry:MaxDelay"] = "00:00:01",
    };

    [Fact]
    public async Task Job_WithAutomaticRetryAttempts_GetsThatManyRetriesFromOurPolicyOnly()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), Settings);
        var storage = app.Services.GetRequiredService<JobStorage>();

        var id = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<HangfireAttributedJobs>(j => j.OneRetry());

        await JobStates.WaitForStateAsync(storage, id, FailedState.StateName, TimeSpan.FromSeconds(45));
        var history = JobStates.History(storage, id);
        // Attempts = 1 is one retry: two runs in all, not our default five nor Hangfire's own ten.
        Assert.Equal(2, history.Count(h => h.StateName == FailedState.StateName));
        var retry = Assert.Single(history, h => h.StateName == ScheduledState.StateName);
        Assert.StartsWith("Retry 1 of 1 in", retry.Reason, StringComparison.Ordinal);
        // Hangfire's attribute would have written "Retry attempt n of m" had it acted as a filter.
        Assert.DoesNotContain(history, h => h.Reason?.StartsWith("Retry attempt", StringComparison.Ordinal) == true);
        Assert.StartsWith("Failed after 2 attempt(s): Hangfire-attributed job failed", history[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_WithAutomaticRetryDeleteWhenExceeded_IsDeletedAfterItsAttempts()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), Settings);
        var storage = app.Services.GetRequiredService<JobStorage>();

        var id = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<HangfireAttributedJobs>(j => j.OneRetryThenDelete());

        await JobStates.WaitForStateAsync(storage, id, DeletedState.StateName, TimeSpan.FromSeconds(45));
        var history = JobStates.History(storage, id);
        Assert.Equal(2, history.Count(h => h.StateName == FailedState.StateName));
        Assert.StartsWith("Deleted after 2 attempt(s): Hangfire-attributed job failed", history[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(0, storage.GetMonitoringApi().FailedCount());
    }

    [Fact]
    public async Task Filters_AppStarted_HangfireAutomaticRetryNeitherGlobalNorFromAttributes()
    {
        // Two hosts in one process, as in tests: the process-wide lists still hold one of each of ours.
        var connectionString = postgres.CreateDatabase();
        await using var first = new DashboardFactory(connectionString);
        _ = first.Services.GetRequiredService<JobStorage>();
        await using var app = new DashboardFactory(connectionString);
        _ = app.Services.GetRequiredService<JobStorage>();

        Assert.Single(JobFilterProviders.Providers, p => p is RetryAttributeFilterProvider);
        Assert.DoesNotContain(JobFilterProviders.Providers, p => p.GetType() == typeof(JobFilterAttributeFilterProvider));
        Assert.DoesNotContain(GlobalJobFilters.Filters, f => f.Instance is AutomaticRetryAttribute);
        Assert.Single(GlobalJobFilters.Filters, f => f.Instance is RetryFilter);
        var job = Job.FromExpression<HangfireAttributedJobs>(j => j.OneRetry());
        var filters = JobFilterProviders.Providers.GetFilters(job).Select(f => f.Instance).ToList();
        Assert.DoesNotContain(filters, f => f is AutomaticRetryAttribute);
        Assert.Single(filters, f => f is RetryFilter);
        // Other filter attributes on a job still apply.
        Assert.Single(filters, f => f is MarkerFilterAttribute);
    }
}

/// <summary>Jobs outside our catalog that use Hangfire's attribute, as code written for plain Hangfire would.</summary>
[MarkerFilter]
public sealed class HangfireAttributedJobs
{
    [AutomaticRetry(Attempts = 1)]
    public void OneRetry() => throw new InvalidOperationException("Hangfire-attributed job failed.");

    [AutomaticRetry(Attempts = 1, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public void OneRetryThenDelete() => throw new InvalidOperationException("Hangfire-attributed job failed.");
}

/// <summary>A filter attribute that does nothing, to see attribute filters other than AutomaticRetry still provided.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class MarkerFilterAttribute : JobFilterAttribute;
