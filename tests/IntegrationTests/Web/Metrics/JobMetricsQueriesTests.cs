using Dashboard.Data.Database;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Maintenance;
using Dashboard.Web.Components.Pages.JobMetrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.IntegrationTests.Web.Metrics;

/// <summary>
/// 30 days of metrics as the servers and the roll-up leave them: minute rows for the last 48 hours, hour rows for
/// every hour of 31 days (including the recent hours that also have minute rows, and a partial current hour).
/// send-email: 1 run a minute, 20 ms, failing at every tenth minute; deliver-webhook: 2 runs a minute, 750 ms.
/// </summary>
public sealed class MetricsDatabase : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 34, 56, TimeSpan.Zero);

    private IHost? _host;

    public MetricsDatabase(PostgresServerFixture postgres) => ConnectionString = postgres.CreateDatabase();

    public string ConnectionString { get; }

    public PostgresEndpoint Endpoint => _host!.Services.GetRequiredService<PostgresEndpoint>();

    public async ValueTask InitializeAsync()
    {
        _host = DataServices.Build(ConnectionString);
        await _host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(ConnectionString, """
            INSERT INTO dashboard.job_metrics_minute
            SELECT m, 'send-email', 'default', 1, CASE WHEN extract(minute FROM m)::int % 10 = 0 THEN 1 ELSE 0 END, 20, 20,
                   '{0,0,1,0,0,0,0,0,0,0,0,0,0,0,0}'::bigint[]
            FROM generate_series(date_trunc('minute', @now, 'UTC') - interval '48 hours', date_trunc('minute', @now, 'UTC'), interval '1 minute') AS m
            UNION ALL
            SELECT m, 'deliver-webhook', 'low', 2, 0, 1500, 900, '{0,0,0,0,0,0,0,2,0,0,0,0,0,0,0}'::bigint[]
            FROM generate_series(date_trunc('minute', @now, 'UTC') - interval '48 hours', date_trunc('minute', @now, 'UTC'), interval '1 minute') AS m;

            -- Where minute rows exist, the hour row is their sum (as the roll-up writes it, partial for the current hour).
            INSERT INTO dashboard.job_metrics_hour
            SELECT date_trunc('hour', bucket_start, 'UTC'), job_type, queue, sum(executions), sum(failures), sum(duration_sum_ms), max(duration_max_ms),
                   CASE job_type WHEN 'send-email' THEN ARRAY[0,0,sum(executions),0,0,0,0,0,0,0,0,0,0,0,0]
                                 ELSE ARRAY[0,0,0,0,0,0,0,sum(executions),0,0,0,0,0,0,0] END::bigint[]
            FROM dashboard.job_metrics_minute WHERE bucket_start >= date_trunc('hour', @now, 'UTC') - interval '47 hours' GROUP BY 1, 2, 3;

            -- Older hours (the oldest minute rows were purged after their hour was rolled up): only the roll-up is left.
            INSERT INTO dashboard.job_metrics_hour
            SELECT h, 'send-email', 'default', 60, 6, 1200, 20, '{0,0,60,0,0,0,0,0,0,0,0,0,0,0,0}'::bigint[]
            FROM generate_series(date_trunc('hour', @now, 'UTC') - interval '31 days', date_trunc('hour', @now, 'UTC') - interval '48 hours', interval '1 hour') AS h
            UNION ALL
            SELECT h, 'deliver-webhook', 'low', 120, 0, 90000, 900, '{0,0,0,0,0,0,0,120,0,0,0,0,0,0,0}'::bigint[]
            FROM generate_series(date_trunc('hour', @now, 'UTC') - interval '31 days', date_trunc('hour', @now, 'UTC') - interval '48 hours', interval '1 hour') AS h;
            """, Now);
    }

    public ValueTask DisposeAsync()
    {
        _host?.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class JobMetricsQueriesTests(MetricsDatabase database) : IClassFixture<MetricsDatabase>
{
    private JobMetricsQueries Queries(RetentionOptions? retention = null) =>
        new(database.Endpoint, Options.Create(retention ?? new RetentionOptions()), new FixedTime(MetricsDatabase.Now));

    [Theory]
    // 11:34 … 12:34: 61 minute buckets, failing at :40 :50 :00 :10 :20 :30.
    [InlineData(MetricsWindow.LastHour, 61, 6)]
    // 12:34 yesterday … 12:34 today, minute rows only.
    [InlineData(MetricsWindow.LastDay, 1441, 144)]
    // Hour rows from 12:00 seven days ago up to 09:00 (165 h), then minute rows 09:00 … 12:34 (215, 22 failing).
    [InlineData(MetricsWindow.LastWeek, (165 * 60) + 215, (165 * 6) + 22)]
    [InlineData(MetricsWindow.LastMonth, (717 * 60) + 215, (717 * 6) + 22)]
    public async Task GetAsync_Window_ExactCountsWithoutDoubleCounting(MetricsWindow window, long executions, long failures)
    {
        var result = await Queries().GetAsync(window);

        var email = Assert.Single(result.Series, s => s.JobType == "send-email");
        Assert.Equal(("default", executions, failures), (email.Queue, email.Executions, email.Failures));
        Assert.Equal(executions * 20.0, email.DurationSumMs);
        Assert.Equal(executions, email.Histogram[2]);
        Assert.Equal(executions, email.Histogram.Sum());
        Assert.Equal(executions, email.Trend.Sum());
        Assert.Equal(MetricsWindows.Length(window) / MetricsWindows.Step(window), email.Trend.Length);
        var webhook = Assert.Single(result.Series, s => s.JobType == "deliver-webhook");
        Assert.Equal(executions * 2, webhook.Executions);
    }

    [Fact]
    public async Task GetAsync_LastMonth_TrendHasOneDayPerPointAndPercentilesFromTheHistograms()
    {
        var result = await Queries().GetAsync(MetricsWindow.LastMonth);

        var email = Assert.Single(result.Series, s => s.JobType == "send-email");
        // Every whole day is 24 × 60 runs, whichever table the hours came from.
        Assert.All(email.Trend[..^1], day => Assert.Equal(1440, day));
        var rows = JobMetricsRow.From(result.Series, byQueue: false).ToDictionary(r => r.JobType);
        Assert.Equal(17.5, rows["send-email"].P50Ms!.Value, 6);
        Assert.Equal(20, rows["send-email"].P99Ms!.Value, 6);
        Assert.Equal(20, rows["send-email"].AverageMs!.Value, 6);
        Assert.Equal(750, rows["deliver-webhook"].P50Ms!.Value, 6);
        Assert.Equal(900, rows["deliver-webhook"].P95Ms!.Value, 6);
        Assert.Equal(0.1, rows["send-email"].FailureRate, 3);
    }

    [Fact]
    public async Task GetAsync_ShortMinuteRetention_DayWindowReadsHourRowsBeforeTheCutoff()
    {
        var retention = new RetentionOptions { MinuteMetrics = TimeSpan.FromHours(6), RollupWindow = TimeSpan.FromHours(3) };

        var result = await Queries(retention).GetAsync(MetricsWindow.LastDay);

        // Hours 12:00 yesterday … 09:00 today (21 h) from the roll-ups, then 215 minutes.
        Assert.Equal((21 * 60) + 215, Assert.Single(result.Series, s => s.JobType == "send-email").Executions);
    }

    [Fact]
    public async Task GetAsync_SameWindowTwice_OneReadForBoth()
    {
        var queries = Queries();

        var first = queries.GetAsync(MetricsWindow.LastWeek);
        var second = queries.GetAsync(MetricsWindow.LastWeek);

        Assert.Same(first, second);
        Assert.NotSame(await first, await queries.GetAsync(MetricsWindow.LastHour));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
