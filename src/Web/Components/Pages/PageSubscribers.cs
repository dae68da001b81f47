namespace Dashboard.Web.Components.Pages;

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
