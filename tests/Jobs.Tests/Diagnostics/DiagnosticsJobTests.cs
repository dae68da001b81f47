using Dashboard.Jobs.Diagnostics;
using Dashboard.Jobs.Execution;

namespace Dashboard.Jobs.Tests.Diagnostics;

public sealed class DiagnosticsJobTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RunAsync_AttemptBeforeFailUntil_Throws(int attempt)
    {
        using var _ = JobAttempt.Enter(attempt);

        var error = await Assert.ThrowsAsync<DiagnosticsFailureException>(
            () => new DiagnosticsJob().RunAsync(new DiagnosticsArgs(FailUntilAttempt: 3), TestContext.Current.CancellationToken));

        Assert.Contains($"attempt {attempt}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AttemptReachesFailUntil_Succeeds()
    {
        using var _ = JobAttempt.Enter(3);

        await new DiagnosticsJob().RunAsync(new DiagnosticsArgs(FailUntilAttempt: 3, PayloadBytes: 1024), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsSleepingAtOnce()
    {
        using var _ = JobAttempt.Enter(1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DiagnosticsJob().RunAsync(new DiagnosticsArgs(SleepMs: 60_000), cts.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }
}
