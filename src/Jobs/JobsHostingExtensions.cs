using Dashboard.Data;
using Dashboard.Data.Database;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Email;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Maintenance;
using Dashboard.Jobs.Metrics;
using Dashboard.Jobs.Model;
using Dashboard.Jobs.Recurring;
using Dashboard.Jobs.Webhooks;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

public static class JobsHostingExtensions
{
    /// <summary>
    /// Hangfire on PostgreSQL for every role (clients enqueue from any process), and a Hangfire server in this
    /// process when its role includes <c>worker</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDashboardJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddValidatedOptions<HangfireOptions>(HangfireOptions.Section);
        builder.AddValidatedOptions<RetryOptions>(RetryOptions.Section);
        builder.AddValidatedOptions<MetricsOptions>(MetricsOptions.Section);
        builder.AddValidatedOptions<RetentionOptions>(RetentionOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        builder.AddEmailJobs();
        builder.AddWebhookJobs();
        services.AddSingleton<ISchemaInstaller, HangfireSchemaInstaller>();

        var catalog = JobCatalog.FromAssembly(typeof(JobsHostingExtensions).Assembly);
        RetryPolicy.EnsureAttributesAreHonoured(catalog);
        services.AddSingleton(catalog);
        foreach (var job in catalog.Jobs)
        {
            services.AddTransient(job.JobType);
        }

        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<RetryFilter>();
        services.AddSingleton(sp => (IBackgroundJobClientV2)sp.GetRequiredService<IBackgroundJobClient>());
        services.AddSingleton<JobEnqueuer>();
        services.AddSingleton<HangfireDatabase>();
        services.AddSingleton<QueueNotifications>();
        services.AddSingleton<ExecutionMetrics>();
        services.AddMetrics();
        services.AddSingleton<JobInstruments>();
        services.AddSingleton<ExecutionMetricsFilter>();
        services.AddSingleton<JobExpirationFilter>();

        services.AddHangfire((sp, config) =>
        {
            var options = sp.GetRequiredService<IOptions<HangfireOptions>>().Value;
            var endpoint = sp.GetRequiredService<PostgresEndpoint>();
            config
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()));
            var storageOptions = StorageOptions(options);
            var storage = config.UseStorage(new DashboardStorage(endpoint.ConnectionString, storageOptions, sp.GetRequiredService<QueueNotifications>())).Entry;
            // Our queue for every queue this deployment serves (DashboardJobQueue says why); a job enqueued to any
            // other queue name goes through the stock queue, which writes the same row and sends the same NOTIFY.
            storage.QueueProviders.Add(
                new DashboardJobQueueProvider(storage, storageOptions, sp.GetRequiredService<HangfireDatabase>(), sp.GetRequiredService<QueueNotifications>()),
                options.EffectiveQueues);
            ReplaceGlobalFilters(
                new JobAttempt(),
                new CurrentJob(),
                new QueuePolicyFilter(),
                sp.GetRequiredService<RetryFilter>(),
                sp.GetRequiredService<ExecutionMetricsFilter>(),
                sp.GetRequiredService<JobExpirationFilter>(),
                ActivatorUtilities.CreateInstance<PausedRecurringJobFilter>(sp));
            ReplaceAttributeFilterProvider();
        });

        var roles = DashboardRoles.From(builder.Configuration);
        if (roles.Worker)
        {
            // Registered before the Hangfire server so it stops after it and counts the last jobs of a graceful stop.
            services.AddSingleton<ServerRuntime>();
            services.AddSingleton<IBackgroundProcess>(sp => sp.GetRequiredService<ServerRuntime>());
            services.AddHostedService<ServerReporter>();
            services.AddHostedService<RecurringJobsRegistrar>();
            services.AddHangfireServer((sp, server) => ConfigureServer(server, sp.GetRequiredService<IOptions<HangfireOptions>>().Value));
            // The host must wait longer than Hangfire waits for its jobs, or it would cut the graceful stop short.
            services.AddOptions<HostOptions>().Configure<IOptions<HangfireOptions>>((host, hangfire) =>
                host.ShutdownTimeout = hangfire.Value.ShutdownTimeout + TimeSpan.FromSeconds(10));
        }

        return builder;
    }

    /// <summary>
    /// Hangfire keeps filters in a process-wide list. Ours replace any earlier instances (a second host in the same
    /// process, as in tests, must not run the retry policy twice), and Hangfire's AutomaticRetry gives way to
    /// <see cref="RetryFilter"/>.
    /// </summary>
    private static void ReplaceGlobalFilters(params object[] filters)
    {
        var ours = filters.Select(f => f.GetType()).Append(typeof(AutomaticRetryAttribute)).ToHashSet();
        foreach (var stale in GlobalJobFilters.Filters.Where(f => ours.Contains(f.Instance.GetType())).ToList())
        {
            GlobalJobFilters.Filters.Remove(stale.Instance);
        }

        foreach (var filter in filters)
        {
            GlobalJobFilters.Filters.Add(filter);
        }
    }

    /// <summary>
    /// Hangfire's stock attribute provider gives way to <see cref="RetryAttributeFilterProvider"/>, so an
    /// <c>[AutomaticRetry]</c> on a job class or method is read by our policy and never runs as a filter itself.
    /// The list is process-wide like the global filters: replacing (not adding) keeps exactly one.
    /// </summary>
    private static void ReplaceAttributeFilterProvider()
    {
        var providers = JobFilterProviders.Providers;
        // The stock provider and ours from an earlier host; a library's own subclass of the stock provider stays.
        var replaced = new[] { typeof(JobFilterAttributeFilterProvider), typeof(RetryAttributeFilterProvider) };
        foreach (var stale in providers.Where(p => replaced.Contains(p.GetType())).ToList())
        {
            providers.Remove(stale);
        }

        providers.Add(new RetryAttributeFilterProvider());
    }

    internal static PostgreSqlStorageOptions StorageOptions(HangfireOptions options) => new()
    {
        SchemaName = options.SchemaName,
        // Installed by our locked migration step instead (HangfireSchemaInstaller).
        PrepareSchemaIfNecessary = false,
        UseSlidingInvisibilityTimeout = options.UseSlidingInvisibilityTimeout,
        InvisibilityTimeout = options.InvisibilityTimeout,
        EnableLongPolling = options.EnableLongPolling,
        QueuePollInterval = options.QueuePollInterval,
    };

    internal static void ConfigureServer(BackgroundJobServerOptions server, HangfireOptions options)
    {
        // Hangfire names each server host:pid:random-guid itself, which is what the Workers page needs.
        server.WorkerCount = options.WorkerCount;
        server.Queues = [.. options.EffectiveQueues];
        server.SchedulePollingInterval = options.SchedulePollingInterval;
        server.HeartbeatInterval = options.HeartbeatInterval;
        server.ServerTimeout = options.ServerTimeout;
        // StopTimeout: jobs keep running this long after SIGTERM before their token fires; ShutdownTimeout: then
        // Hangfire waits a little more for them to observe it and be requeued.
        server.StopTimeout = options.ShutdownTimeout;
        server.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5);
    }
}
