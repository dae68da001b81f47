namespace Dashboard.Web.Monitoring;

/// <summary>
/// The open pages listening to a per-process service (the live snapshot, bulk-operation progress). Publishing calls
/// each of them in turn; a page whose circuit went away between the copy and the call is skipped, since it
/// unsubscribes itself when disposed.
/// </summary>
internal sealed partial class PageSubscribers<T>(ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<Func<T, Task>> _subscribers = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="onPublished"/>; the count including it is passed to <paramref name="added"/>.</summary>
    public IDisposable Add(Func<T, Task> onPublished, Action<int>? added = null)
    {
        lock (_gate)
        {
            _subscribers.Add(onPublished);
            added?.Invoke(_subscribers.Count);
        }

        return new Subscription(this, onPublished);
    }

    /// <summary>
    /// Adds <paramref name="onPublished"/> and, when <paramref name="current"/> has a value, hands it that value at
    /// once: a page that subscribes just after a push would otherwise wait a whole interval for the next one. The value
    /// is read after the page joined the list, so a push is either in its copy of the list or already in the value.
    /// </summary>
    public IDisposable AddWithCurrent(Func<T, Task> onPublished, Func<T?> current, Action<int>? added = null)
    {
        T? now;
        lock (_gate)
        {
            _subscribers.Add(onPublished);
            added?.Invoke(_subscribers.Count);
            now = current();
        }

        if (now is not null)
        {
            _ = DeliverAsync(onPublished, now);
        }

        return new Subscription(this, onPublished);
    }

    private async Task DeliverAsync(Func<T, Task> target, T value)
    {
        // Off the subscriber's thread: it is still inside its own Subscribe call.
        await Task.Yield();
        try
        {
            await target(value);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            LogSubscriberGone(logger, ex.Message);
        }
    }

    public async Task PublishAsync(T value)
    {
        Func<T, Task>[] targets;
        lock (_gate)
        {
            targets = [.. _subscribers];
        }

        foreach (var target in targets)
        {
            try
            {
                await target(value);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                LogSubscriberGone(logger, ex.Message);
            }
        }
    }

    private void Remove(Func<T, Task> onPublished)
    {
        lock (_gate)
        {
            _subscribers.Remove(onPublished);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped a closed page: {Reason}")]
    private static partial void LogSubscriberGone(ILogger logger, string reason);

    private sealed class Subscription(PageSubscribers<T> owner, Func<T, Task> onPublished) : IDisposable
    {
        public void Dispose() => owner.Remove(onPublished);
    }
}
