using Dashboard.Data;
using Dashboard.Data.Database;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Components.Pages.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dashboard.IntegrationTests.Web.Administration;

/// <summary>
/// 20,000 audit rows, one per second going back from <see cref="Newest"/>: row i is by user (i % 10), action
/// <see cref="Actions"/>[i % 4], Denied when i % 7 == 0, Failed when i % 7 == 1, target <c>job-i</c>; one row's
/// details hold a needle.
/// </summary>
public sealed class AuditTrailData : IAsyncLifetime
{
    public const int Rows = 20_000;
    public const int NeedleRow = 12_345;
    public static readonly DateTimeOffset Newest = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly string[] Actions = ["job.requeue", "job.delete", "apikey.create", "signin.failed"];

    private readonly string _connectionString;
    private IHost? _host;

    public AuditTrailData(PostgresServerFixture postgres) => _connectionString = postgres.CreateDatabase();

    public IAuditQueries Queries { get; private set; } = null!;

    public static DateTimeOffset AtOf(int i) => Newest.AddSeconds(-i);

    public static AuditOutcome OutcomeOf(int i) => (i % 7) switch
    {
        0 => AuditOutcome.Denied,
        1 => AuditOutcome.Failed,
        _ => AuditOutcome.Succeeded,
    };

    public async ValueTask InitializeAsync()
    {
        _host = DataServices.Build(_connectionString);
        await _host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO dashboard.audit_entries (at, user_name, action, target, outcome, details)
            SELECT @newest - make_interval(secs => i),
                   'user' || (i % 10) || '@example.test',
                   (ARRAY['job.requeue', 'job.delete', 'apikey.create', 'signin.failed'])[i % 4 + 1],
                   'job-' || i,
                   CASE i % 7 WHEN 0 THEN 'Denied' WHEN 1 THEN 'Failed' ELSE 'Succeeded' END,
                   CASE WHEN i = @needle THEN 'found the Needle in the haystack' END
            FROM generate_series(0, @rows - 1) AS i
            """, connection);
        insert.Parameters.AddWithValue("newest", Newest);
        insert.Parameters.AddWithValue("needle", NeedleRow);
        insert.Parameters.AddWithValue("rows", Rows);
        Assert.Equal(Rows, await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        Queries = new AuditQueries(_host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>(), _host.Services.GetRequiredService<PostgresEndpoint>());
    }

    public ValueTask DisposeAsync()
    {
        _host?.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class AuditQueriesTests(AuditTrailData data) : IClassFixture<AuditTrailData>
{
    [Fact]
    public async Task FindAsync_NoFilter_PagesWalkEveryRowOnceNewestFirst()
    {
        var rows = await AllAsync(new AuditFilter(), pageSize: AuditQueries.MaxPageSize);

        Assert.Equal(AuditTrailData.Rows, rows.Count);
        Assert.Equal(AuditTrailData.Rows, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(AuditTrailData.Newest, rows[0].At);
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.At > p.Second.At), "rows are not newest first");
    }

    [Fact]
    public async Task FindAsync_UserAndAction_ReturnsOnlyTheirRows()
    {
        var rows = await AllAsync(new AuditFilter(User: "user3@example.test", Action: "job.delete"));

        // i % 10 == 3 and i % 4 == 1 ⇔ i % 20 == 13.
        Assert.Equal(AuditTrailData.Rows / 20, rows.Count);
        Assert.All(rows, r => Assert.Equal(("user3@example.test", "job.delete"), (r.UserName, r.Action)));
    }

    [Fact]
    public async Task FindAsync_OutcomeAndTimeRange_ReturnsMatchesInsideTheRangeOnly()
    {
        // Rows 100..199: From is inclusive, To exclusive.
        var filter = new AuditFilter(Outcome: AuditOutcome.Denied, From: AuditTrailData.AtOf(199), To: AuditTrailData.AtOf(99));

        var rows = await AllAsync(filter);

        var expected = Enumerable.Range(100, 100).Where(i => AuditTrailData.OutcomeOf(i) == AuditOutcome.Denied).Select(i => $"job-{i}").ToList();
        Assert.Equal(expected, rows.Select(r => r.Target!).ToList());
    }

    [Fact]
    public async Task FindAsync_FreeText_MatchesDetailsAndTargetIgnoringCase()
    {
        var inDetails = await data.Queries.FindAsync(new AuditFilter(Text: "NEEDLE"), null, 50, TestContext.Current.CancellationToken);
        var inTarget = await data.Queries.FindAsync(new AuditFilter(Text: "JOB-19999"), null, 50, TestContext.Current.CancellationToken);

        Assert.Equal($"job-{AuditTrailData.NeedleRow}", Assert.Single(inDetails.Rows).Target);
        Assert.Null(inDetails.Next);
        Assert.Equal("job-19999", Assert.Single(inTarget.Rows).Target);
    }

    [Fact]
    public async Task FindAsync_LikeWildcardsInText_AreMatchedLiterally()
    {
        var percent = await data.Queries.FindAsync(new AuditFilter(Text: "%"), null, 50, TestContext.Current.CancellationToken);
        var underscore = await data.Queries.FindAsync(new AuditFilter(Text: "job_1"), null, 50, TestContext.Current.CancellationToken);

        Assert.Empty(percent.Rows);
        Assert.Empty(underscore.Rows);
    }

    [Fact]
    public async Task FindAsync_NothingMatches_EmptyPageWithoutNext()
    {
        var page = await data.Queries.FindAsync(new AuditFilter(User: "nobody@example.test"), null, 50, TestContext.Current.CancellationToken);

        Assert.Empty(page.Rows);
        Assert.Null(page.Next);
    }

    private async Task<List<AuditRow>> AllAsync(AuditFilter filter, int pageSize = 50)
    {
        var rows = new List<AuditRow>();
        AuditCursor? after = null;
        do
        {
            var page = await data.Queries.FindAsync(filter, after, pageSize, TestContext.Current.CancellationToken);
            Assert.True(page.Rows.Count <= pageSize);
            rows.AddRange(page.Rows);
            after = page.Next;
        }
        while (after is not null && rows.Count <= AuditTrailData.Rows);

        return rows;
    }
}
