using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs;

public sealed class HangfireRoundTripTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Enqueue_ThroughClient_HostedServerRunsItToSucceeded()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase());
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();

        var jobId = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(50, 0, 0), CancellationToken.None));

        await Poll.UntilAsync(() => JobStates.StateOf(storage, jobId) == SucceededState.StateName, TimeSpan.FromSeconds(30), $"job {jobId} to succeed");
        var details = storage.GetMonitoringApi().JobDetails(jobId);
        Assert.Equal(nameof(DiagnosticsJob), details.Job.Type.Name);
        Assert.Contains(details.History, h => h.StateName == ProcessingState.StateName);
        Assert.Equal(1, storage.GetMonitoringApi().SucceededListCount());
    }

    [Fact]
    public async Task Enqueue_JobThatThrows_IsRetriedWithItsException()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase());
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();

        var jobId = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(0, 99, 0), CancellationToken.None));

        // The first failure moves the job to Scheduled (a retry) with the failure recorded in its history.
        await Poll.UntilAsync(
            () => storage.GetMonitoringApi().JobDetails(jobId)?.History.Any(h => h.StateName == FailedState.StateName) == true,
            TimeSpan.FromSeconds(30),
            $"job {jobId} to fail once");
        var failure = storage.GetMonitoringApi().JobDetails(jobId).History.First(h => h.StateName == FailedState.StateName);
        Assert.Equal(typeof(DiagnosticsFailureException).FullName, failure.Data["ExceptionType"]);
        Assert.Contains("attempt 1", failure.Data["ExceptionMessage"], StringComparison.Ordinal);
    }
}
