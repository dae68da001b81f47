using Hangfire;
using Hangfire.Storage.Monitoring;

namespace Dashboard.IntegrationTests.Infrastructure;

internal static class JobStates
{
    public static string? StateOf(JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    /// <summary>The job's state history, oldest first.</summary>
    public static IReadOnlyList<StateHistoryDto> History(JobStorage storage, string jobId) =>
        [.. storage.GetMonitoringApi().JobDetails(jobId).History.OrderBy(h => h.CreatedAt)];

    public static Task WaitForStateAsync(JobStorage storage, string jobId, string state, TimeSpan timeout) =>
        Poll.UntilAsync(() => StateOf(storage, jobId) == state, timeout, $"job {jobId} to reach {state} (now {StateOf(storage, jobId)})");
}
