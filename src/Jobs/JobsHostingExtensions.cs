using Dashboard.Data;
using Dashboard.Data.Database;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Email;
using Dashboard.Data.Hangfire;
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
                new DashboardJobQueueProvider(storage, storageOptions, sp.GetRequiredService<PostgresEndpoint>().ConnectionString, sp.GetRequiredService<QueueNotifications>()),
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
        // Hosts starting in parallel (tests) must not edit the process-wide list at the same moment.
        lock (ProcessWideLists)
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
    }

    /// <summary>Guards Hangfire's process-wide filter and provider lists while a host edits them.</summary>
    private static readonly Lock ProcessWideLists = new();

    /// <summary>
    /// Hangfire's stock attribute provider gives way to <see cref="RetryAttributeFilterProvider"/>, so an
    /// <c>[AutomaticRetry]</c> on a job class or method is read by our policy and never runs as a filter itself.
    /// The list is process-wide like the global filters and the provider holds no state, so this happens once per
    /// process: a later host (tests start dozens, some at the same moment) finds it done and leaves the list alone,
    /// which also keeps it from changing under a host that is already creating jobs.
    /// </summary>
    private static void ReplaceAttributeFilterProvider()
    {
        lock (ProcessWideLists)
        {
            var providers = JobFilterProviders.Providers;
            if (providers.Any(p => p is RetryAttributeFilterProvider))
            {
                return;
            }

            // The stock provider only; a library's own subclass of it stays.
            foreach (var stock in providers.Where(p => p.GetType() == typeof(JobFilterAttributeFilterProvider)).ToList())
            {
                providers.Remove(stock);
            }

            providers.Add(new RetryAttributeFilterProvider());
        }
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
