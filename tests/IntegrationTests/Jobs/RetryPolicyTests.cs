using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs;

/// <summary>The retry policy end to end: real Hangfire server, real PostgreSQL, real waiting.</summary>
public sealed class RetryPolicyTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Job_FailsTwiceThenSucceeds_RetriedTwiceWithGrowingDelays()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase());
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();

        var id = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(0, 3, 0), CancellationToken.None));

        await JobStates.WaitForStateAsync(storage, id, SucceededState.StateName, TimeSpan.FromSeconds(45));
        var history = JobStates.History(storage, id);
        Assert.Equal(2, history.Count(h => h.StateName == FailedState.StateName));
        var retries = history.Where(h => h.StateName == ScheduledState.StateName).ToList();
        Assert.Equal(2, retries.Count);
        Assert.StartsWith("Retry 1 of 2 in", retries[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("Retry 2 of 2 in", retries[1].Reason, StringComparison.Ordinal);
        var delays = retries.Select(Delay).ToList();
        Assert.InRange(delays[0].TotalSeconds, 1.7, 2.3);
        Assert.InRange(delays[1].TotalSeconds, 3.5, 4.5);
        Assert.True(delays[1] > delays[0]);
    }

    [Fact]
    public async Task Job_AlwaysFails_LandsInFailedAfterItsAttemptsWithTheException()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?>
        {
            // Keep the test short: the growth itself is checked above.
            ["Dashboard:Retry:MaxDelay"] = "00:00:01",
        });
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();

        var id = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(0, 99, 0), CancellationToken.None));

        await JobStates.WaitForStateAsync(storage, id, FailedState.StateName, TimeSpan.FromSeconds(45));
        var history = JobStates.History(storage, id);
        Assert.Equal(3, history.Count(h => h.StateName == FailedState.StateName));
        var final = history[^1];
        Assert.StartsWith("Failed after 3 attempt(s)", final.Reason, StringComparison.Ordinal);
        Assert.Equal(typeof(DiagnosticsFailureException).FullName, final.Data["ExceptionType"]);
        Assert.Contains("DiagnosticsJob.RunAsync", final.Data["ExceptionDetails"], StringComparison.Ordinal);
        Assert.Equal(1, storage.GetMonitoringApi().FailedCount());
    }

    [Fact]
    public async Task Job_WithInvalidArguments_FailsAtOnceWithoutRetry()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase());
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();

        var id = client.Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(-5, 0, 0), CancellationToken.None));

        await JobStates.WaitForStateAsync(storage, id, FailedState.StateName, TimeSpan.FromSeconds(30));
        var history = JobStates.History(storage, id);
        Assert.DoesNotContain(history, h => h.StateName == ScheduledState.StateName);
        Assert.StartsWith("Not retried:", history[^1].Reason, StringComparison.Ordinal);
        Assert.Contains("SleepMs", history[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_WhoseClassNoLongerExists_FailsWithReadableReason()
    {
        var connectionString = postgres.CreateDatabase();
        string id;
        // Create the job where no server runs, then rename its class in storage as if the class had been deleted.
        using (var producer = DataServices.Build(connectionString))
        {
            await producer.Services.GetRequiredService<Dashboard.Data.Database.DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
            id = producer.Services.GetRequiredService<IBackgroundJobClient>()
                .Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(0, 0, 0), CancellationToken.None));
        }

        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var rename = new Npgsql.NpgsqlCommand(
                "UPDATE hangfire.job SET invocationdata = replace(invocationdata::text, 'DiagnosticsJob', 'RemovedJob')::jsonb WHERE id = @id", connection);
            rename.Parameters.AddWithValue("id", long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, await rename.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        await using var app = new DashboardFactory(connectionString);
        var storage = app.Services.GetRequiredService<JobStorage>();

        await JobStates.WaitForStateAsync(storage, id, FailedState.StateName, TimeSpan.FromSeconds(30));
        var final = JobStates.History(storage, id)[^1];
        Assert.StartsWith("Not retried:", final.Reason, StringComparison.Ordinal);
        Assert.Contains("Could not resolve type 'Dashboard.Jobs.Diagnostics.RemovedJob'", final.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(JobStates.History(storage, id), h => h.StateName == ScheduledState.StateName);
    }

    private static TimeSpan Delay(Hangfire.Storage.Monitoring.StateHistoryDto scheduled) =>
        JobHelper.DeserializeDateTime(scheduled.Data["EnqueueAt"]) - JobHelper.DeserializeDateTime(scheduled.Data["ScheduledAt"]);
}
