using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Recurring;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Recurring;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.IntegrationTests.Web.Recurring;

/// <summary>One running app (web and worker, so Hangfire's recurring scheduler runs) on its own database.</summary>
public sealed class RecurringJobsApp : IAsyncDisposable
{
    private readonly DashboardFactory _factory;
    private readonly IServiceScope _scope;

    public RecurringJobsApp(PostgresServerFixture postgres)
    {
        ConnectionString = postgres.CreateDatabase();
        _factory = new DashboardFactory(ConnectionString);
        _factory.CreateClient().Dispose();
        _scope = _factory.Services.CreateScope();
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => _factory.Services;

    public JobStorage Storage => Services.GetRequiredService<JobStorage>();

    public IRecurringJobCommands Commands => _scope.ServiceProvider.GetRequiredService<IRecurringJobCommands>();

    public IRecurringJobQueries Queries => Services.GetRequiredService<IRecurringJobQueries>();

    /// <summary>A recurring diagnostics job that fires every second (the scheduler polls every second in this app).</summary>
    public void AddEverySecond(string id) =>
        Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<DiagnosticsJob>(id, j => j.RunAsync(new DiagnosticsArgs(0, 0, 0), CancellationToken.None), "* * * * * *");

    /// <summary>How many jobs Hangfire has created for the recurring job (each carries its id as a parameter).</summary>
    public Task<long> RunsAsync(string id) =>
        Sql.ScalarAsync<long>(ConnectionString, $"SELECT count(*) FROM hangfire.jobparameter WHERE name = 'RecurringJobId' AND value = '\"{id}\"'");

    public IReadOnlyDictionary<string, string>? Hash(string id)
    {
        using var connection = Storage.GetConnection();
        return connection.GetAllEntriesFromHash(RecurringJobPause.HashKey(id));
    }

    public async ValueTask DisposeAsync()
    {
        _scope.Dispose();
        await _factory.DisposeAsync();
    }
}

public sealed class RecurringJobsTests(RecurringJobsApp app) : IClassFixture<RecurringJobsApp>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pause_RunningScheduler_SkipsRunsUntilResumedAndTriggerRunsOnce()
    {
        const string Id = "itest-every-second";
        app.AddEverySecond(Id);
        await Poll.UntilAsync(async () => await app.RunsAsync(Id) >= 2, TimeSpan.FromSeconds(30), $"{Id} to run twice");

        var paused = await app.Commands.PauseAsync(Principals.Operator, Id, Cancel);
        // A run created in the same second as the pause may still land; after that, none.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Cancel);
        var runsWhenPaused = await app.RunsAsync(Id);
        var lastJobBefore = app.Hash(Id)!["LastJobId"];
        await Task.Delay(Settle, Cancel);

        Assert.Equal(JobCommandStatus.Succeeded, paused.Status);
        Assert.Equal(runsWhenPaused, await app.RunsAsync(Id));
        // The scheduler kept ticking (and skipping): its next execution moved on, the job was not disabled.
        var hash = app.Hash(Id)!;
        Assert.True(RecurringJobPause.IsPaused(hash));
        Assert.Equal("", hash.GetValueOrDefault("LastJobId", ""));
        var view = Assert.Single((await app.Queries.GetAsync()).Jobs, j => j.Id == Id);
        Assert.True(view.Paused);
        Assert.Equal(Principals.OperatorName, view.PausedBy);
        Assert.Equal(string.IsNullOrEmpty(lastJobBefore) ? hash[RecurringJobPause.LastRunJobIdField] : lastJobBefore, view.LastJobId);
        Assert.NotNull(view.LastJobState);

        var triggered = await app.Commands.TriggerAsync(Principals.Operator, Id, Cancel);
        await Task.Delay(Settle, Cancel);

        Assert.Equal(JobCommandStatus.Succeeded, triggered.Status);
        Assert.Equal(runsWhenPaused + 1, await app.RunsAsync(Id));

        var resumed = await app.Commands.ResumeAsync(Principals.Operator, Id, Cancel);

        Assert.Equal(JobCommandStatus.Succeeded, resumed.Status);
        Assert.False(RecurringJobPause.IsPaused(app.Hash(Id)));
        await Poll.UntilAsync(async () => await app.RunsAsync(Id) >= runsWhenPaused + 3, TimeSpan.FromSeconds(30), $"{Id} to run again after resume");
        Assert.Equal(
            [("recurring.pause", AuditOutcome.Succeeded), ("recurring.trigger", AuditOutcome.Succeeded), ("recurring.resume", AuditOutcome.Succeeded)],
            (await AuditRows.ForAsync(app.Services, Id)).Select(e => (e.Action, e.Outcome)).ToList());
        app.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(Id);
    }

    [Fact]
    public async Task Registrar_StartAgainWithAPausedDeclaredJob_StaysPausedWithItsSchedule()
    {
        const string Id = "purge-expired-data";
        await Poll.UntilAsync(() => app.Hash(Id) is { Count: > 0 }, TimeSpan.FromSeconds(30), $"{Id} to be registered");
        Assert.Equal(JobCommandStatus.Succeeded, (await app.Commands.PauseAsync(Principals.Admin, Id, Cancel)).Status);

        // What every worker does at start-up.
        var registrar = app.Services.GetServices<IHostedService>().OfType<RecurringJobsRegistrar>().Single();
        await registrar.StartAsync(Cancel);

        var hash = app.Hash(Id)!;
        Assert.True(RecurringJobPause.IsPaused(hash));
        Assert.Equal("17 3 * * *", hash["Cron"]);
        var view = Assert.Single((await app.Queries.GetAsync()).Jobs, j => j.Id == Id);
        Assert.True(view.Paused);
        Assert.True(view.Declared);
        Assert.Equal("At 03:17 every day", view.CronDescription);
        Assert.Equal(JobCommandStatus.Succeeded, (await app.Commands.ResumeAsync(Principals.Admin, Id, Cancel)).Status);
    }

    [Fact]
    public async Task Viewer_PauseResumeRemove_DeniedAuditedAndNothingChanges()
    {
        const string Id = "itest-viewer";
        app.AddEverySecond(Id);

        var results = new[]
        {
            await app.Commands.PauseAsync(Principals.Viewer, Id, Cancel),
            await app.Commands.ResumeAsync(Principals.Viewer, Id, Cancel),
            await app.Commands.RemoveAsync(Principals.Viewer, Id, Cancel),
            await app.Commands.TriggerAsync(Principals.Viewer, Id, Cancel),
        };

        Assert.All(results, r => Assert.Equal(JobCommandStatus.Denied, r.Status));
        var hash = app.Hash(Id);
        Assert.NotNull(hash);
        Assert.False(RecurringJobPause.IsPaused(hash));
        Assert.Equal(
            [("recurring.pause", AuditOutcome.Denied, Principals.ViewerName), ("recurring.resume", AuditOutcome.Denied, Principals.ViewerName),
             ("recurring.remove", AuditOutcome.Denied, Principals.ViewerName), ("recurring.trigger", AuditOutcome.Denied, Principals.ViewerName)],
            (await AuditRows.ForAsync(app.Services, Id)).Select(e => (e.Action, e.Outcome, e.UserName)).ToList());
        app.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(Id);
    }

    [Fact]
    public async Task Remove_Operator_GoneFromStorageAndListAndAudited()
    {
        const string Id = "itest-remove";
        app.AddEverySecond(Id);
        await app.Commands.PauseAsync(Principals.Operator, Id, Cancel);

        var removed = await app.Commands.RemoveAsync(Principals.Operator, Id, Cancel);
        var again = await app.Commands.RemoveAsync(Principals.Operator, Id, Cancel);
        var pauseMissing = await app.Commands.PauseAsync(Principals.Operator, Id, Cancel);

        Assert.Equal(JobCommandStatus.Succeeded, removed.Status);
        Assert.Equal(JobCommandStatus.NotFound, again.Status);
        Assert.Equal(JobCommandStatus.NotFound, pauseMissing.Status);
        // Nothing left behind: re-adding the same id later does not find it paused.
        Assert.True(app.Hash(Id) is null or { Count: 0 });
        Assert.DoesNotContain((await app.Queries.GetAsync()).Jobs, j => j.Id == Id);
        Assert.Equal(
            [("recurring.pause", AuditOutcome.Succeeded), ("recurring.remove", AuditOutcome.Succeeded), ("recurring.remove", AuditOutcome.Failed), ("recurring.pause", AuditOutcome.Failed)],
            (await AuditRows.ForAsync(app.Services, Id)).Select(e => (e.Action, e.Outcome)).ToList());
    }

    [Fact]
    public async Task GetAsync_DeclaredJobs_ListedWithScheduleAndLastRun()
    {
        await Poll.UntilAsync(() => app.Hash("aggregate-metrics") is { Count: > 0 }, TimeSpan.FromSeconds(30), "recurring jobs to be registered");
        var trigger = await app.Services.CreateScope().ServiceProvider.GetRequiredService<IJobCommands>()
            .TriggerRecurringAsync(Principals.Operator, "aggregate-metrics", Cancel);
        Assert.True(trigger.Succeeded);
        app.Queries.Invalidate();

        var list = await app.Queries.GetAsync();

        var aggregate = Assert.Single(list.Jobs, j => j.Id == "aggregate-metrics");
        Assert.Equal(("*/5 * * * *", "Every 5 minutes", "UTC", "low"), (aggregate.Cron, aggregate.CronDescription, aggregate.TimeZone, aggregate.Queue));
        Assert.Equal("AggregateMetricsJob.RunAsync", aggregate.JobType);
        Assert.NotNull(aggregate.LastJobId);
        Assert.Contains(aggregate.LastJobState, new[] { EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName });
        Assert.True(aggregate.NextRun > DateTimeOffset.UtcNow.AddSeconds(-5));
        Assert.NotNull(aggregate.CreatedAt);
        Assert.Null(aggregate.Error);
    }
}
