using System.Globalization;
using Dashboard.Web.Components.Pages.Jobs.Search;

namespace Dashboard.Web.Components.Pages.Failed;

public enum BulkAction
{
    Requeue,
    Delete,
}

public enum BulkStatus
{
    Running,
    Completed,
    Cancelled,
    /// <summary>The walk itself stopped on an error (e.g. the database went away); the counts say how far it got.</summary>
    Failed,
}

/// <summary>
/// Where one "all matching" operation stands. <see cref="Changed"/> jobs were requeued or deleted, <see cref="Skipped"/>
/// had already left the Failed state (someone or something else changed them), <see cref="Errors"/> could not be changed.
/// </summary>
public sealed record BulkProgress(
    Guid Id,
    BulkAction Action,
    JobFilter Filter,
    string StartedBy,
    DateTimeOffset StartedAt,
    long Total,
    long Changed,
    long Skipped,
    long Errors,
    BulkStatus Status,
    string? Error,
    DateTimeOffset? FinishedAt)
{
    public long Done => Changed + Skipped + Errors;

    public bool IsRunning => Status == BulkStatus.Running;

    public string Verb => Action == BulkAction.Requeue ? "requeued" : "deleted";

    /// <summary>The result in one sentence: "Requeued 180, skipped 20 (already changed), failed 0."</summary>
    public string Summary
    {
        get
        {
            var counts = string.Create(CultureInfo.InvariantCulture,
                $"{char.ToUpperInvariant(Verb[0])}{Verb[1..]} {Changed:N0}, skipped {Skipped:N0} (already changed), failed {Errors:N0}");
            return Status switch
            {
                BulkStatus.Running => string.Create(CultureInfo.InvariantCulture, $"{Done:N0} of {Total:N0} done: {counts}."),
                BulkStatus.Cancelled => string.Create(CultureInfo.InvariantCulture, $"Cancelled after {Done:N0} of {Total:N0}: {counts}."),
                BulkStatus.Failed => $"Stopped: {Error}. {counts}.",
                _ => counts + ".",
            };
        }
    }
}

/// <summary>The "all matching" operations of this process, for the pages that show their progress.</summary>
public interface IBulkProgressSource
{
    /// <summary>Running operations and those finished recently, newest first.</summary>
    IReadOnlyList<BulkProgress> Recent { get; }

    /// <summary>Calls <paramref name="onProgress"/> after every batch and at the end of every operation until disposed.</summary>
    IDisposable Subscribe(Func<BulkProgress, Task> onProgress);
}
