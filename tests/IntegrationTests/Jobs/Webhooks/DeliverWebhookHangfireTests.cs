using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs;
using Dashboard.Jobs.Webhooks;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.IntegrationTests.Jobs.Webhooks;

/// <summary>
/// The job enqueued through Hangfire and run by a real Hangfire server: arguments survive job storage, the retry
/// policy acts on what the job throws, and the delivery log carries Hangfire's job id and attempt numbers.
/// </summary>
public sealed class DeliverWebhookHangfireTests(PostgresServerFixture postgres)
{
    // Decimals with trailing zeros and non-ASCII: what a JSON object model between enqueue and send would rewrite.
    private const string Payload = "{\"total\":1.10,\"name\":\"Zoë ☃\",\"items\":[{\"sku\":\"A-1\",\"qty\":2}]}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_TargetFailsOnceThenAccepts_RetriedAndEveryAttemptLogged()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(503, "deploying");
        await using var host = await StartWorkerAsync(postgres.CreateDatabase());
        var args = new DeliverWebhookArgs("order-42-paid", target.Url(), "order.paid", Payload);

        var jobId = host.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DeliverWebhookJob>(j => j.RunAsync(args, CancellationToken.None));

        var storage = host.Services.GetRequiredService<JobStorage>();
        await Poll.UntilAsync(() => StateOf(storage, jobId) == SucceededState.StateName, TimeSpan.FromSeconds(60), $"job {jobId} to succeed");
        Assert.Equal(2, target.Requests.Count);
        Assert.All(target.Requests, r => Assert.Equal(Payload, r.Body));
        Assert.All(target.Requests, r => Assert.Equal("order-42-paid", r.Headers["webhook-id"]));
        Assert.All(target.Requests, r => Assert.True(DeliverWebhookJobTests.IsValidSignature(r)));

        var rows = await AttemptsAsync(host, args.DeliveryKey);
        Assert.Equal([1, 2], rows.Select(r => r.Attempt));
        Assert.Equal([WebhookOutcome.RetryableFailure, WebhookOutcome.Delivered], rows.Select(r => r.Outcome));
        Assert.All(rows, r => Assert.Equal(jobId, r.JobId));
    }

    [Fact]
    public async Task Enqueue_Target410_FailsAtOnceWithTheReason()
    {
        await using var target = await HttpTestTarget.StartAsync(Ct);
        target.Then(410, "hook removed");
        await using var host = await StartWorkerAsync(postgres.CreateDatabase());
        var args = new DeliverWebhookArgs("order-43-paid", target.Url(), "order.paid", Payload);

        var jobId = host.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DeliverWebhookJob>(j => j.RunAsync(args, CancellationToken.None));

        var storage = host.Services.GetRequiredService<JobStorage>();
        await Poll.UntilAsync(() => StateOf(storage, jobId) == FailedState.StateName, TimeSpan.FromSeconds(60), $"job {jobId} to fail");
        var failed = storage.GetMonitoringApi().JobDetails(jobId).History.First(h => h.StateName == FailedState.StateName);
        Assert.StartsWith("Not retried: webhook target 127.0.0.1 answered 410 Gone; not retried.", failed.Reason, StringComparison.Ordinal);
        // What every viewer of the job sees (reason, message, details) has the status and host, not the target's words.
        Assert.All(
            new[] { failed.Reason, failed.Data["ExceptionMessage"], failed.Data["ExceptionDetails"] },
            text => Assert.DoesNotContain("hook removed", text, StringComparison.Ordinal));
        Assert.Single(target.Requests);
        var row = Assert.Single(await AttemptsAsync(host, args.DeliveryKey));
        Assert.Equal(WebhookOutcome.PermanentFailure, row.Outcome);
        Assert.Equal(jobId, row.JobId);
        Assert.Contains("hook removed", row.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_TargetIsLinkLocalMetadataAddress_FailsAtOnceNotRetriedNothingSent()
    {
        await using var host = await StartWorkerAsync(postgres.CreateDatabase(), allowLoopback: false);
        var args = new DeliverWebhookArgs("order-44-paid", "http://169.254.169.254/latest/meta-data/", "order.paid", Payload);

        var jobId = host.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DeliverWebhookJob>(j => j.RunAsync(args, CancellationToken.None));

        var storage = host.Services.GetRequiredService<JobStorage>();
        await Poll.UntilAsync(() => StateOf(storage, jobId) == FailedState.StateName, TimeSpan.FromSeconds(60), $"job {jobId} to fail");
        var details = storage.GetMonitoringApi().JobDetails(jobId);
        var failed = details.History.First(h => h.StateName == FailedState.StateName);
        Assert.Equal(
            "Not retried: webhook target 169.254.169.254 refused: link-local address (169.254.0.0/16); allow it with Dashboard:Webhooks:AllowPrivateNetworks",
            failed.Reason);
        Assert.DoesNotContain(details.History, h => h.StateName == ScheduledState.StateName);
        var row = Assert.Single(await AttemptsAsync(host, args.DeliveryKey));
        Assert.Equal(WebhookOutcome.PermanentFailure, row.Outcome);
        Assert.Null(row.StatusCode);
    }

    private static async Task<Worker> StartWorkerAsync(string connectionString, bool allowLoopback = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Dashboard:Roles"] = "worker",
            ["Dashboard:Hangfire:WorkerCount"] = "2",
            ["Dashboard:Hangfire:QueuePollInterval"] = "00:00:00.500",
            ["Dashboard:Hangfire:ShutdownTimeout"] = "00:00:02",
            ["Dashboard:Webhooks:SigningSecret"] = WebhookServices.Secret,
            ["Dashboard:Webhooks:Secrets:0"] = WebhookServices.SecondSecret,
        });
        if (allowLoopback)
        {
            builder.Configuration.AddInMemoryCollection(WebhookServices.LoopbackOptIn);
        }

        builder.AddDashboardData();
        builder.AddDashboardJobs();
        var host = builder.Build();
        await host.StartAsync(Ct);
        return new Worker(host);
    }

    private static async Task<List<WebhookAttempt>> AttemptsAsync(Worker host, string deliveryKey)
    {
        var contexts = host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(Ct);
        return await db.WebhookAttempts.Where(a => a.DeliveryKey == deliveryKey).OrderBy(a => a.Id).ToListAsync(Ct);
    }

    private static string? StateOf(JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    /// <summary>A started host that stops its Hangfire server, bounded in time, when disposed.</summary>
    private sealed class Worker(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(stop.Token);
            host.Dispose();
        }
    }
}
