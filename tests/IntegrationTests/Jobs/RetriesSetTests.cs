using System.Globalization;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.IntegrationTests.Web.Security;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Execution;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs;

/// <summary>
/// What Hangfire's AutomaticRetry did besides retrying, kept by our RetryFilter: the <c>retries</c> set behind
/// <c>/hangfire/retries</c>, a warning for each retry and an error for each final failure. The real app (web and
/// worker), signed in as a browser would be.
/// </summary>
public sealed class RetriesSetTests(PostgresServerFixture postgres)
{
    // The job is recorded as having made 8 attempts already, so the retry after its next failure (attempt 9) waits the
    // capped 5 minutes: no scheduler poll moves it on while the test looks at the page. The test moves it on itself.
    private const int RetriesBefore = 8;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Dashboard:Roles"] = "web,worker",
        ["Dashboard:Retry:Attempts:diagnostics"] = "10",
        ["Dashboard:Retry:MaxDelay"] = "00:05:00",
    };

    [Fact]
    public async Task RetriesPage_JobFailedAndScheduledForRetry_IsListedUntilItsRetrySucceeds()
    {
        var logs = new CapturedLogs();
        await using var app = new SecurityApp(postgres, Settings, logs);
        using var browser = await app.SignedInClientAsync(SecurityApp.AdminEmail, SecurityApp.AdminPassword);
        var storage = app.Services.GetRequiredService<JobStorage>();

        // Fails on attempt 9, succeeds from attempt 10.
        var id = StartWithEarlierAttempts(app, new DiagnosticsArgs(FailUntilAttempt: RetriesBefore + 2));

        await WaitForRetryAsync(storage, id);
        Assert.Contains(id, RetriesSet(storage));
        Assert.Contains(JobLink(id), await RetriesPageAsync(browser), StringComparison.Ordinal);
        var warning = Assert.Single(logs.Messages, m => m.Category == typeof(RetryFilter).FullName && m.Message.Contains($"Job {id} ", StringComparison.Ordinal));
        Assert.Equal(
            $"Job {id} (diagnostics) failed on attempt 9 of 10; retrying in 300 s: DiagnosticsFailureException: "
            + "Diagnostics job failed on purpose on attempt 9 (it succeeds from attempt 10).",
            warning.Message);

        app.Services.GetRequiredService<IBackgroundJobClient>().Requeue(id);
        await JobStates.WaitForStateAsync(storage, id, SucceededState.StateName, TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(id, RetriesSet(storage));
        var page = await RetriesPageAsync(browser);
        Assert.DoesNotContain(JobLink(id), page, StringComparison.Ordinal);
        Assert.Contains("you have no retries", page, StringComparison.Ordinal);
        // Succeeding is no failure: still the one warning, no error.
        Assert.Single(logs.Messages, m => m.Category == typeof(RetryFilter).FullName);
    }

    [Fact]
    public async Task RetriesPage_JobWhoseLastAttemptFails_LeavesTheListAndAnErrorIsLogged()
    {
        var logs = new CapturedLogs();
        await using var app = new SecurityApp(postgres, Settings, logs);
        using var browser = await app.SignedInClientAsync(SecurityApp.AdminEmail, SecurityApp.AdminPassword);
        var storage = app.Services.GetRequiredService<JobStorage>();

        // Fails on every attempt: attempt 9 is retried, attempt 10 is the last.
        var id = StartWithEarlierAttempts(app, new DiagnosticsArgs(FailUntilAttempt: 99));

        await WaitForRetryAsync(storage, id);
        Assert.Contains(JobLink(id), await RetriesPageAsync(browser), StringComparison.Ordinal);

        app.Services.GetRequiredService<IBackgroundJobClient>().Requeue(id);
        await JobStates.WaitForStateAsync(storage, id, FailedState.StateName, TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(id, RetriesSet(storage));
        Assert.DoesNotContain(JobLink(id), await RetriesPageAsync(browser), StringComparison.Ordinal);
        var ours = logs.Messages.Where(m => m.Category == typeof(RetryFilter).FullName).Select(m => m.Message).ToList();
        Assert.Equal(2, ours.Count);
        Assert.StartsWith($"Job {id} (diagnostics) failed on attempt 9 of 10; retrying in 300 s: DiagnosticsFailureException:", ours[0], StringComparison.Ordinal);
        Assert.Equal(
            $"Job {id} (diagnostics) failed on attempt 10 of 10 and will not be retried: Failed after 10 attempt(s): "
            + "Diagnostics job failed on purpose on attempt 10 (it succeeds from attempt 99).",
            ours[1]);
    }

    [Fact]
    public async Task RetryFilter_NonRetryableFailure_LogsAnErrorAndNeverEntersTheSet()
    {
        var logs = new CapturedLogs();
        await using var app = new SecurityApp(postgres, Settings, logs);
        var storage = app.Services.GetRequiredService<JobStorage>();

        var id = app.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(SleepMs: -1), CancellationToken.None));

        await JobStates.WaitForStateAsync(storage, id, FailedState.StateName, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(id, RetriesSet(storage));
        var error = Assert.Single(logs.Messages, m => m.Category == typeof(RetryFilter).FullName);
        Assert.StartsWith($"Job {id} (diagnostics) failed on attempt 1 of 10 and will not be retried: Not retried:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Creates the job as if it had made <see cref="RetriesBefore"/> attempts, then enqueues it.</summary>
    private static string StartWithEarlierAttempts(SecurityApp app, DiagnosticsArgs args)
    {
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();
        var id = client.Create<DiagnosticsJob>(j => j.RunAsync(args, CancellationToken.None), new ScheduledState(TimeSpan.FromDays(1)));
        using (var connection = storage.GetConnection())
        {
            connection.SetJobParameter(id, RetryFilter.RetryCountParameter, RetriesBefore.ToString(CultureInfo.InvariantCulture));
        }

        Assert.True(client.Requeue(id));
        return id;
    }

    private static Task WaitForRetryAsync(JobStorage storage, string id) =>
        Poll.UntilAsync(
            () => JobStates.History(storage, id) is { Count: > 0 } history
                && history[^1].StateName == ScheduledState.StateName
                && history[^1].Reason?.StartsWith("Retry 9 of 9 in", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30),
            $"job {id} to be scheduled for its retry (now {JobStates.StateOf(storage, id)})");

    private static HashSet<string> RetriesSet(JobStorage storage)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllItemsFromSet(RetryFilter.RetriesSet);
    }

    private static async Task<string> RetriesPageAsync(HttpClient browser) =>
        await browser.GetStringAsync(new Uri("/hangfire/retries", UriKind.Relative), TestContext.Current.CancellationToken);

    private static string JobLink(string id) => $"href=\"/hangfire/jobs/details/{id}\"";
}
