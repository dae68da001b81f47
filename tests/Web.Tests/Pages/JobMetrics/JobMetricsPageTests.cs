using Bunit;
using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.JobMetrics;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.JobMetrics;

public sealed class JobMetricsPageTests : DashboardTestContext
{
    private readonly FakeJobMetricsQueries _queries = new();
    private readonly FakeOverviewSource _source = new();

    public JobMetricsPageTests()
    {
        Services.AddSingleton<IJobMetricsQueries>(_queries);
        Services.AddSingleton<IOverviewSource>(_source);
        Auth.SetAuthorized("vic@example.com").SetRoles(UserRoles.Viewer).SetPolicies(Policies.View);
    }

    private static long[] OneBucket(int index, long count)
    {
        var histogram = new long[JobMetricBuckets.Count];
        histogram[index] = count;
        return histogram;
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void Render_Series_OneRowPerJobTypeWithRatesAndPercentiles()
    {
        // send-email in two queues: 100 runs between 10 and 25 ms, 10 of them failed; 100 more in the other queue.
        _queries.Series.Add(new MetricsSeries("send-email", "default", 100, 10, 1_750, 25, OneBucket(2, 100), [40, 60]));
        _queries.Series.Add(new MetricsSeries("send-email", "critical", 100, 0, 1_750, 24, OneBucket(2, 100), [0, 100]));
        _queries.Series.Add(new MetricsSeries("deliver-webhook", "default", 4, 0, 4_000, 2_000, OneBucket(7, 4), [4, 0]));

        var page = Render<JobMetricsPage>();

        var rows = page.FindAll("[data-testid=metrics-row]");
        Assert.Equal(2, rows.Count);
        var email = rows[0];
        Assert.Equal("send-email", email.QuerySelector("[data-testid=job-type]")!.TextContent);
        Assert.Equal("200", email.QuerySelector("[data-testid=executions]")!.TextContent);
        Assert.Equal("10", email.QuerySelector("[data-testid=failures]")!.TextContent);
        Assert.Equal("5.0%", email.QuerySelector("[data-testid=failure-rate]")!.TextContent.Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("18 ms", email.QuerySelector("[data-testid=average]")!.TextContent);
        Assert.Equal("18 ms", email.QuerySelector("[data-testid=p50]")!.TextContent);
        Assert.Equal("25 ms", email.QuerySelector("[data-testid=p99]")!.TextContent);
        Assert.Equal("25 ms", email.QuerySelector("[data-testid=max]")!.TextContent);
        Assert.Equal("1.0 s", rows[1].QuerySelector("[data-testid=average]")!.TextContent);
        Assert.Equal(2, page.FindAll("[data-testid=sparkline] polyline").Count);
        Assert.Equal([MetricsWindow.LastDay], _queries.Calls);
    }

    [Fact]
    public void Render_PerQueueInTheUrl_OneRowPerTypeAndQueue()
    {
        _queries.Series.Add(new MetricsSeries("send-email", "default", 100, 10, 1_750, 25, OneBucket(2, 100), [1]));
        _queries.Series.Add(new MetricsSeries("send-email", "critical", 50, 0, 1_750, 24, OneBucket(2, 50), [1]));
        Navigation.NavigateTo("/job-metrics?window=7d&by=queue");

        var page = Render<JobMetricsPage>();

        Assert.Equal(["default", "critical"], page.FindAll("[data-testid=queue]").Select(e => e.TextContent));
        Assert.Equal([MetricsWindow.LastWeek], _queries.Calls);
    }

    [Fact]
    public void SelectWindow_Click_WrittenToTheUrlAndQueried()
    {
        var page = Render<JobMetricsPage>();

        page.Find("[data-testid=window-30d]").Click();

        Assert.Equal("30d", System.Web.HttpUtility.ParseQueryString(new Uri(Navigation.Uri).Query)["window"]);
        page.WaitForAssertion(() => Assert.Equal(MetricsWindow.LastMonth, _queries.Calls[^1]));
    }

    [Fact]
    public void Sort_ByColumnHeader_OrdersRowsAndTogglesDirection()
    {
        _queries.Series.Add(new MetricsSeries("a-job", "default", 5, 0, 50, 10, OneBucket(1, 5), [5]));
        _queries.Series.Add(new MetricsSeries("b-job", "default", 50, 0, 50_000, 2_000, OneBucket(7, 50), [50]));
        _queries.Series.Add(new MetricsSeries("c-job", "default", 20, 10, 200, 10, OneBucket(1, 20), [20]));
        var page = Render<JobMetricsPage>();
        string[] Types() => [.. page.FindAll("[data-testid=job-type]").Select(e => e.TextContent)];

        Assert.Equal(["b-job", "c-job", "a-job"], Types());
        page.Find("[data-testid=sort-failurerate]").Click();
        Assert.Equal(["c-job", "a-job", "b-job"], Types());
        page.Find("[data-testid=sort-jobtype]").Click();
        Assert.Equal(["c-job", "b-job", "a-job"], Types());
        page.Find("[data-testid=sort-jobtype]").Click();
        Assert.Equal(["a-job", "b-job", "c-job"], Types());
        page.Find("[data-testid=sort-p95]").Click();
        Assert.Equal("b-job", Types()[0]);
    }

    [Fact]
    public void Render_NoMetrics_EmptyState()
    {
        var page = Render<JobMetricsPage>();

        Assert.Contains("No job finished in this window", page.Find("[data-testid=no-metrics]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QueryFails_ShowsAReferenceNotTheDatabaseError()
    {
        _queries.Failure = new InvalidOperationException("relation does not exist");

        var page = Render<JobMetricsPage>();

        var error = page.Find("[data-testid=metrics-error]").TextContent;
        Assert.Contains("Reference", error, StringComparison.Ordinal);
        Assert.DoesNotContain("relation does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QueryStoppedByTheStatementTimeout_SaysSo()
    {
        _queries.Failure = StatementTimeout.Error();

        var page = Render<JobMetricsPage>();

        var error = page.Find("[data-testid=metrics-error]");
        Assert.Equal("true", error.GetAttribute("data-timed-out"));
        Assert.Contains("Reading the job metrics took longer than 5 s and was stopped.", error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_OverviewSnapshot_AsksForTheSameWindowAgain()
    {
        Navigation.NavigateTo("/job-metrics?window=1h");
        var page = Render<JobMetricsPage>();
        _queries.Series.Add(new MetricsSeries("send-email", "default", 3, 0, 30, 10, OneBucket(1, 3), [3]));

        await _source.PushAsync(new OverviewState(Snapshots.Sample(), null, null));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=metrics-row]")));
        Assert.Equal([MetricsWindow.LastHour, MetricsWindow.LastHour], _queries.Calls);
    }
}
