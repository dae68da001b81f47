using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Execution;
using Hangfire.Common;
using Hangfire.States;

namespace Dashboard.Jobs.Tests.Execution;

public sealed class QueuePolicyFilterTests
{
    [Fact]
    public void Register_JobWithQueueAttribute_RunsAfterTheAttribute()
    {
        // Built like Hangfire's JobFilterProviders.Providers: global filters, then attributes, where [Queue] comes from.
        var providers = new JobFilterProviderCollection { new JobFilterCollection(), new JobFilterAttributeFilterProvider() };
        QueuePolicyFilter.Register(providers);
        var job = Job.FromExpression<DiagnosticsJob>(j => j.RunAsync(new DiagnosticsArgs(0, 0, 0), CancellationToken.None));

        var electFilters = providers.GetFilters(job).Select(f => f.Instance).OfType<IElectStateFilter>().ToList();

        Assert.Contains(electFilters, f => f is Hangfire.QueueAttribute);
        Assert.IsType<QueuePolicyFilter>(electFilters[^1]);
    }

    [Fact]
    public void Register_Twice_AddsOneProvider()
    {
        var providers = new JobFilterProviderCollection();

        QueuePolicyFilter.Register(providers);
        QueuePolicyFilter.Register(providers);

        Assert.Single(providers.OfType<QueuePolicyFilter>());
    }
}
