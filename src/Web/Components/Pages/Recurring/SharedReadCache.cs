namespace Dashboard.Web.Components.Pages.Recurring;

/// <summary>
/// One read per key for everybody in this process: pages ask on every Overview push, the first asker starts the read
/// and the others (other tabs, the same push) get the same task until it is older than the lifetime. A failed read
/// is kept just as long, so a storage outage is not hammered by every open tab either. The read runs without the
/// caller's cancellation token: a closed tab must not cancel what the others are waiting for.
/// </summary>
public sealed class SharedReadCache<TKey, TValue>(Func<TKey, Task<TValue>> read, TimeSpan lifetime, TimeProvider time)
    where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _entries = [];
    private readonly Lock _gate = new();

    public Task<TValue> GetAsync(TKey key)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_entries.TryGetValue(key, out var entry) && (!entry.Task.IsCompleted || now - entry.CompletedAt(now) < lifetime))
            {
                return entry.Task;
            }

            var fresh = new Entry(Task.Run(() => read(key)), time);
            _entries[key] = fresh;
            return fresh.Task;
        }
    }

    /// <summary>The next <see cref="GetAsync"/> reads again (after an action changed what the key shows).</summary>
    public void Invalidate(TKey key)
    {
        lock (_gate)
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        private DateTimeOffset? _completedAt;

        public Entry(Task<TValue> task, TimeProvider time)
        {
            Task = task;
            // The lifetime counts from when the read finished, so a slow read is not stale the moment it arrives.
            task.ContinueWith(_ => _completedAt = time.GetUtcNow(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public Task<TValue> Task { get; }

        public DateTimeOffset CompletedAt(DateTimeOffset now) => _completedAt ?? now;
    }
}
