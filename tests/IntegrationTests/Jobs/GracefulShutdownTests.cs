using Dashboard.Data.Database;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.IntegrationTests.Scale;
using Dashboard.Jobs.Diagnostics;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dashboard.IntegrationTests.Jobs;

/// <summary>SIGTERM to a real worker process while it runs jobs: nothing is lost.</summary>
public sealed class GracefulShutdownTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Sigterm_JobShorterThanShutdownTimeout_FinishesThenProcessExits()
    {
        var connectionString = postgres.CreateDatabase();
        using var producer = await ProducerAsync(connectionString);
        await using var worker = await StartWorkerAsync(connectionString, shutdownTimeout: "00:00:20");
        var storage = producer.Services.GetRequiredService<JobStorage>();
        var id = producer.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(3_000, 0, 0), CancellationToken.None));
        await JobStates.WaitForStateAsync(storage, id, ProcessingState.StateName, TimeSpan.FromSeconds(30));

        worker.Signal(AppProcess.SigTerm);

        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(40)), "the worker should exit after SIGTERM\n" + worker.Output);
        Assert.Equal(0, worker.ExitCode);
        Assert.Equal(SucceededState.StateName, JobStates.StateOf(storage, id));
    }

    [Fact]
    public async Task Sigterm_JobLongerThanShutdownTimeout_IsCancelledRequeuedAndPickedUpByAnotherWorker()
    {
        var connectionString = postgres.CreateDatabase();
        using var producer = await ProducerAsync(connectionString);
        var storage = producer.Services.GetRequiredService<JobStorage>();
        string id;
        await using (var first = await StartWorkerAsync(connectionString, shutdownTimeout: "00:00:01"))
        {
            id = producer.Services.GetRequiredService<IBackgroundJobClient>()
                .Enqueue<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(120_000, 0, 0), CancellationToken.None));
            await JobStates.WaitForStateAsync(storage, id, ProcessingState.StateName, TimeSpan.FromSeconds(30));

            first.Signal(AppProcess.SigTerm);

            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the worker should exit after SIGTERM\n" + first.Output);
            Assert.Equal(0, first.ExitCode);
        }

        // Not failed, not deleted: back in its queue, waiting for a worker.
        Assert.DoesNotContain(JobStates.History(storage, id), h => h.StateName == FailedState.StateName);
        Assert.True(await QueuedAndUnfetchedAsync(connectionString, id), "the job should be back in the queue, not held by the stopped worker");

        await using var second = await StartWorkerAsync(connectionString, shutdownTimeout: "00:00:01");
        await Poll.UntilAsync(
            () => JobStates.History(storage, id).Count(h => h.StateName == ProcessingState.StateName) == 2,
            TimeSpan.FromSeconds(30),
            "a second worker to start the requeued job");
    }

    [Fact]
    public async Task Sigterm_BusyWorkerWithQueuedJobs_ExitsWithinTimeoutAndEveryJobSucceedsExactlyOnce()
    {
        await using var cluster = await ScaleCluster.CreateAsync(postgres);
        var settings = new Dictionary<string, string?>
        {
            ["Dashboard__Hangfire__WorkerCount"] = "4",
            ["Dashboard__Hangfire__ShutdownTimeout"] = "00:00:05",
        };
        var first = await cluster.StartAsync("worker", settings);
        var shortJobs = cluster.EnqueueDiagnostics(2, 3_000);
        var longJobs = cluster.EnqueueDiagnostics(2, 10_000);
        await Poll.UntilAsync(
            async () => (await cluster.RunsAsync([.. shortJobs, .. longJobs])).Values.Count(r => r.State == ProcessingState.StateName) == 4,
            TimeSpan.FromSeconds(30),
            "all four workers to be busy");
        // Every worker is busy, so these stay in the queue.
        var queued = cluster.EnqueueDiagnostics(3, 0);

        var signalled = DateTime.UtcNow;
        first.Process.Signal(AppProcess.SigTerm);

        // ShutdownTimeout (5 s) for the running jobs, 5 s for the cancelled ones to hand back, and slack for a busy machine.
        Assert.True(await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the worker should exit after SIGTERM\n" + first.Process.Output);
        var exitSeconds = (DateTime.UtcNow - signalled).TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine($"exited {exitSeconds:0.0} s after SIGTERM");
        Assert.Equal(0, first.Process.ExitCode);
        var afterStop = await cluster.RunsAsync([.. shortJobs, .. longJobs, .. queued]);
        Assert.All(shortJobs, id => Assert.Equal(SucceededState.StateName, afterStop[id].State));
        // Cancelled and handed back: still marked Processing (Hangfire records no new state), but unfetched in the queue.
        foreach (var id in longJobs)
        {
            Assert.True(afterStop[id] is { State: "Processing", Processing: 1, Succeeded: 0 }, $"long job {afterStop[id]}");
            Assert.True(await QueuedAndUnfetchedAsync(cluster.ConnectionString, id), $"long job {id} should be back in the queue");
        }

        Assert.All(queued, id => Assert.True(afterStop[id] is { State: "Enqueued", Processing: 0 }, $"queued job {afterStop[id]}"));

        var second = await cluster.StartAsync("worker", settings);
        await cluster.WaitAllSucceededAsync([.. shortJobs, .. longJobs, .. queued], TimeSpan.FromSeconds(60));

        var runs = await cluster.RunsAsync([.. shortJobs, .. longJobs, .. queued]);
        Assert.All(runs.Values, r => Assert.Equal(1, r.Succeeded));
        var secondServer = Assert.Single(await cluster.ServerIdsAsync(second));
        Assert.All(longJobs, id => Assert.Equal(secondServer, runs[id].ProcessingServers[1]));
    }

    private static async Task<IHost> ProducerAsync(string connectionString)
    {
        var producer = DataServices.Build(connectionString);
        await producer.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return producer;
    }

    private static async Task<AppProcess> StartWorkerAsync(string connectionString, string shutdownTimeout)
    {
        var worker = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Dashboard__Hangfire__ShutdownTimeout"] = shutdownTimeout,
            ["Dashboard__Hangfire__QueuePollInterval"] = "00:00:00.500",
        });
        await worker.WaitForUrlAsync(TimeSpan.FromSeconds(60));
        return worker;
    }

    private static async Task<bool> QueuedAndUnfetchedAsync(string connectionString, string jobId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.jobqueue WHERE jobid = @id AND fetchedat IS NULL", connection);
        command.Parameters.AddWithValue("id", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture));
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))! == 1;
    }
}
