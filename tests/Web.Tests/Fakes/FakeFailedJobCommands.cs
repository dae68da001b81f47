using System.Security.Claims;
using Dashboard.Web.Components.Pages.Failed;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;

namespace Dashboard.Web.Tests.Fakes;

/// <summary>Bulk commands that record what was asked and report it as started on a <see cref="FakeBulkProgressSource"/>.</summary>
internal sealed class FakeFailedJobCommands(FakeBulkProgressSource progress) : IFailedJobCommands
{
    public MatchSnapshot Preview { get; set; } = new(0, null);

    public List<JobFilter> Previews { get; } = [];

    public List<(string User, BulkAction Action, JobFilter Filter, MatchSnapshot Snapshot)> Starts { get; } = [];

    public List<Guid> Cancels { get; } = [];

    public Task<MatchSnapshot> PreviewAsync(JobFilter filter, CancellationToken cancellationToken = default)
    {
        Previews.Add(filter);
        return Task.FromResult(Preview);
    }

    public Task<BulkStartResult> StartAsync(ClaimsPrincipal user, BulkAction action, JobFilter filter, MatchSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        Starts.Add((user.Identity?.Name ?? "", action, filter, snapshot));
        var operation = new BulkProgress(Guid.NewGuid(), action, filter, user.Identity?.Name ?? "", Snapshots.Now, snapshot.Count, 0, 0, 0, BulkStatus.Running, null, null);
        progress.Operations.Insert(0, operation);
        return Task.FromResult(new BulkStartResult(JobCommandStatus.Succeeded, $"Started on {snapshot.Count} jobs.", operation));
    }

    public Task<JobCommandResult> CancelAsync(ClaimsPrincipal user, Guid operationId, CancellationToken cancellationToken = default)
    {
        Cancels.Add(operationId);
        return Task.FromResult(new JobCommandResult(JobCommandStatus.Succeeded, "Cancelling."));
    }
}

internal sealed class FakeBulkProgressSource : IBulkProgressSource
{
    private readonly List<Func<BulkProgress, Task>> _subscribers = [];

    public List<BulkProgress> Operations { get; } = [];

    public IReadOnlyList<BulkProgress> Recent => [.. Operations];

    public IDisposable Subscribe(Func<BulkProgress, Task> onProgress)
    {
        _subscribers.Add(onProgress);
        return new Unsubscriber(() => _subscribers.Remove(onProgress));
    }

    /// <summary>Replaces the operation with the same id and pushes it to the pages.</summary>
    public async Task PushAsync(BulkProgress progress)
    {
        var index = Operations.FindIndex(o => o.Id == progress.Id);
        if (index >= 0)
        {
            Operations[index] = progress;
        }
        else
        {
            Operations.Insert(0, progress);
        }

        foreach (var subscriber in _subscribers.ToList())
        {
            await subscriber(progress);
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
