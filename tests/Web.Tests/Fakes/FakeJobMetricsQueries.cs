using Dashboard.Jobs.Maintenance;
using Dashboard.Web.Components.Pages.JobMetrics;

namespace Dashboard.Web.Tests.Fakes;

internal sealed class FakeJobMetricsQueries : IJobMetricsQueries
{
    public List<MetricsSeries> Series { get; } = [];

    public List<MetricsWindow> Calls { get; } = [];

    public Exception? Failure { get; set; }

    public Task<JobMetricsResult> GetAsync(MetricsWindow window)
    {
        Calls.Add(window);
        return Failure is { } failure
            ? Task.FromException<JobMetricsResult>(failure)
            : Task.FromResult(new JobMetricsResult(window, MetricsPlan.For(window, Snapshots.Now, new RetentionOptions()), [.. Series]));
    }
}
