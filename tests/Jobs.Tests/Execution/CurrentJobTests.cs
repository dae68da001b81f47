using System.Reflection;
using Dashboard.Jobs.Execution;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;

namespace Dashboard.Jobs.Tests.Execution;

public sealed class CurrentJobTests
{
    [Fact]
    public void OnPerforming_HangfireJob_ExposesItsIdUntilPerformed()
    {
        var filter = new CurrentJob();
        var context = new PerformContext(
            new NoStorage(),
            DispatchProxy.Create<IStorageConnection, UnusedConnection>(),
            new BackgroundJob("4711", Job.FromExpression(() => Console.WriteLine()), DateTime.UtcNow),
            new JobCancellationToken(false));

        filter.OnPerforming(new PerformingContext(context));
        var during = CurrentJob.Id;
        filter.OnPerformed(new PerformedContext(context, null, false, null));

        Assert.Equal("4711", during);
        Assert.Null(CurrentJob.Id);
    }

    [Fact]
    public void Enter_Disposed_RestoresThePreviousId()
    {
        using (CurrentJob.Enter("outer"))
        {
            using (CurrentJob.Enter("inner"))
            {
                Assert.Equal("inner", CurrentJob.Id);
            }

            Assert.Equal("outer", CurrentJob.Id);
        }

        Assert.Null(CurrentJob.Id);
    }

    /// <summary>The filter never touches the connection; Hangfire's context only insists that there is one.</summary>
    public class UnusedConnection : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new NotSupportedException($"The filter called {targetMethod?.Name} on the storage connection.");
    }

    /// <summary>The filter never touches storage; the context only needs one to exist.</summary>
    private sealed class NoStorage : JobStorage
    {
        public override IMonitoringApi GetMonitoringApi() => throw new NotSupportedException();

        public override IStorageConnection GetConnection() => throw new NotSupportedException();
    }
}
