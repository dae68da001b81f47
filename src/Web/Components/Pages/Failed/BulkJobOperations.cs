using Dashboard.Web.Operations;
using Dashboard.Web.Components.Shared;
using Dashboard.Web.Monitoring;
using System.Globalization;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Hangfire;
using Hangfire.States;

namespace Dashboard.Web.Components.Pages.Failed;

/// <summary>Who started an operation, kept for the audit record written when it ends (the circuit may be gone by then).</summary>
internal sealed record BulkActor(string Name, string? Id);

/// <summary>
/// Runs "requeue / delete everything matching" on the server, detached from the circuit that asked for it: it walks
/// the matching failed jobs by keyset in batches of <see cref="BatchSize"/>, changes each through Hangfire's client
/// (only if it is still Failed: Hangfire checks the expected state under the job's lock), publishes progress after
/// every batch, and writes one audit record with the result at the end. One operation runs at a time per process,
/// so two operators clicking at once cannot double the load on storage.
/// </summary>
internal sealed partial class BulkJobOperations(
    IJobSearchQueries search,
    IBackgroundJobClient jobs,
    IAuditLog audit,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ReadFailures failures,
    ILogger<BulkJobOperations> logger) : IBulkProgressSource
{
    public const int BatchSize = 250;
    private const int Parallelism = 4;
    private const int Kept = 10;

    private readonly Lock _gate = new();
    private readonly List<Operation> _operations = [];
    private readonly PageSubscribers<BulkProgress> _subscribers = new(logger);

    public IReadOnlyList<BulkProgress> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _operations.Select(o => o.Progress)];
            }
        }
    }

    public static string ActionName(BulkAction action) => action == BulkAction.Requeue ? AuditActions.JobsRequeueMatching : AuditActions.JobsDeleteMatching;

    public IDisposable Subscribe(Func<BulkProgress, Task> onProgress) => _subscribers.Add(onProgress);

    /// <summary>Claims the one running slot for a new operation; null when another one is still running.</summary>
    public BulkProgress? TryReserve(BulkAction action, JobFilter filter, MatchSnapshot snapshot, BulkActor actor)
    {
        lock (_gate)
        {
            if (_operations.Any(o => o.Progress.IsRunning))
            {
                return null;
            }

            var operation = new Operation(
                new BulkProgress(Guid.NewGuid(), action, filter with { State = FailedState.StateName }, actor.Name, time.GetUtcNow(),
                    snapshot.Count, 0, 0, 0, BulkStatus.Running, null, null),
                snapshot.NewestId ?? 0,
                actor,
                CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping));
            _operations.Insert(0, operation);
            if (_operations.Count > Kept)
            {
                _operations.RemoveAt(_operations.Count - 1);
            }

            return operation.Progress;
        }
    }

    /// <summary>Forgets a reservation that will never run (its request could not be recorded), freeing the slot.</summary>
    public void Abandon(Guid id)
    {
        lock (_gate)
        {
            var index = _operations.FindIndex(o => o.Progress.Id == id);
            if (index >= 0)
            {
                _operations[index].Cancellation.Dispose();
                _operations.RemoveAt(index);
            }
        }
    }

    /// <summary>Starts a reserved operation in the background; it outlives the page that started it.</summary>
    public void Run(Guid id)
    {
        var operation = Find(id) ?? throw new InvalidOperationException($"No reserved bulk operation {id}.");
        _ = Task.Run(() => RunAsync(operation), CancellationToken.None);
    }

    public bool Cancel(Guid id)
    {
        var operation = Find(id);
        if (operation is null || !operation.Progress.IsRunning)
        {
            return false;
        }

        try
        {
            operation.Cancellation.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // It finished between the check and the cancel.
            return false;
        }
    }

    private Operation? Find(Guid id)
    {
        lock (_gate)
        {
            return _operations.FirstOrDefault(o => o.Progress.Id == id);
        }
    }

    private async Task RunAsync(Operation operation)
    {
        var token = operation.Cancellation.Token;
        var filter = operation.Progress.Filter;
        // Only the jobs counted for the confirmation: later failures are not part of what the operator agreed to.
        var before = operation.NewestId + 1;
        BulkStatus status;
        string? error = null;
        try
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                var ids = await search.FindIdsAsync(filter, before, BatchSize, token);
                if (ids.Count == 0)
                {
                    break;
                }

                // Each change takes the job's lock and a transaction; a few in parallel keep the walk quick without
                // starving the workers of connections.
                await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = token }, (id, _) =>
                {
                    Apply(operation, id);
                    return ValueTask.CompletedTask;
                });
                before = ids[^1];
                await PublishAsync(operation.Update(p => p));
            }

            status = BulkStatus.Completed;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            status = BulkStatus.Cancelled;
        }
        catch (Exception ex)
        {
            LogWalkFailed(logger, ex, operation.Progress.Id);
            status = BulkStatus.Failed;
            // Shown on the Failed page and kept in the audit record: words, not the database's text.
            error = failures.Describe(ex, "Walking the matching jobs", "Narrow the filter and start the operation again; the jobs already changed stay changed.").Message;
        }

        var final = operation.Update(p => p with
        {
            // Counted at confirmation but gone before the walk reached them: someone else already changed them.
            Skipped = status == BulkStatus.Completed ? p.Skipped + Math.Max(0, p.Total - p.Done) : p.Skipped,
            Status = status,
            Error = error,
            FinishedAt = time.GetUtcNow(),
        });
        operation.Cancellation.Dispose();
        await RecordResultAsync(operation.Actor, final);
        await PublishAsync(final);
    }

    private void Apply(Operation operation, long id)
    {
        var jobId = id.ToString(CultureInfo.InvariantCulture);
        try
        {
            // False when the job is no longer Failed (requeued or deleted meanwhile) or has expired: skipped, not an error.
            var changed = operation.Progress.Action == BulkAction.Requeue
                ? jobs.Requeue(jobId, FailedState.StateName)
                : jobs.Delete(jobId, FailedState.StateName);
            operation.Update(p => changed ? p with { Changed = p.Changed + 1 } : p with { Skipped = p.Skipped + 1 });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogJobFailed(logger, ex, jobId, operation.Progress.Id);
            operation.Update(p => p with { Errors = p.Errors + 1 });
        }
    }

    private async Task RecordResultAsync(BulkActor actor, BulkProgress result)
    {
        var outcome = result.Status == BulkStatus.Completed && result.Errors == 0 ? AuditOutcome.Succeeded : AuditOutcome.Failed;
        var details = string.Create(CultureInfo.InvariantCulture,
            $"finished ({result.Status}): {result.Verb} {result.Changed}, skipped {result.Skipped}, failed {result.Errors} of {result.Total}; filter: {result.Filter.Describe()}");
        if (result.Error is not null)
        {
            details += "; error: " + result.Error;
        }

        try
        {
            await audit.RecordAsync(new AuditRecord(actor.Name, actor.Id, ActionName(result.Action), AuditTarget(result.Filter), outcome, details), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogAuditFailed(logger, ex, result.Id);
        }
    }

    /// <summary>The filter as the audit target: what the operation applied to, within the target column's size.</summary>
    public static string AuditTarget(JobFilter filter)
    {
        var text = filter.Describe();
        return text.Length <= 500 ? text : text[..500] + "…";
    }

    private Task PublishAsync(BulkProgress progress) => _subscribers.PublishAsync(progress);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk operation {OperationId} stopped")]
    private static partial void LogWalkFailed(ILogger logger, Exception exception, Guid operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk operation {OperationId} could not change job {JobId}")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string jobId, Guid operationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the result of bulk operation {OperationId} in the audit trail failed")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, Guid operationId);


    private sealed class Operation(BulkProgress progress, long newestId, BulkActor actor, CancellationTokenSource cancellation)
    {
        private readonly Lock _gate = new();
        private BulkProgress _progress = progress;

        public BulkProgress Progress
        {
            get
            {
                lock (_gate)
                {
                    return _progress;
                }
            }
        }

        public long NewestId { get; } = newestId;

        public BulkActor Actor { get; } = actor;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public BulkProgress Update(Func<BulkProgress, BulkProgress> change)
        {
            lock (_gate)
            {
                _progress = change(_progress);
                return _progress;
            }
        }
    }
}
