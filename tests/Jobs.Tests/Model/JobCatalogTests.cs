using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Maintenance;
using Dashboard.Jobs.Model;

namespace Dashboard.Jobs.Tests.Model;

public sealed class JobCatalogTests
{
    private static readonly JobCatalog Catalog = JobCatalog.FromAssembly(typeof(DiagnosticsJob).Assembly);

    [Theory]
    [InlineData(typeof(DiagnosticsJob), "diagnostics")]
    [InlineData(typeof(AggregateMetricsJob), "aggregate-metrics")]
    [InlineData(typeof(PurgeExpiredDataJob), "purge-expired-data")]
    public void NameOf_JobClass_IsKebabCaseWithoutJob(Type type, string expected)
    {
        Assert.Equal(expected, JobCatalog.NameOf(type));
    }

    [Fact]
    public void FromAssembly_FindsEveryJobWithItsArgumentsQueueAndAttempts()
    {
        var diagnostics = Catalog.Find("diagnostics");

        Assert.NotNull(diagnostics);
        Assert.Equal(typeof(DiagnosticsJob), diagnostics.JobType);
        Assert.Equal(typeof(DiagnosticsArgs), diagnostics.ArgsType);
        Assert.Equal("default", diagnostics.Queue);
        Assert.Equal(3, diagnostics.Attempts);
        Assert.Equal("low", Catalog.Find("purge-expired-data")?.Queue);
        Assert.Same(diagnostics, Catalog.Find(typeof(DiagnosticsJob)));
        Assert.Equal(nameof(IJob<object>.RunAsync), diagnostics.Method.Name);
    }

    [Fact]
    public void Find_UnknownName_ReturnsNull()
    {
        Assert.Null(Catalog.Find("no-such-job"));
        Assert.Null(Catalog.Find("Diagnostics"));
    }
}
