using Dashboard.Web.Monitoring;

namespace Dashboard.Web.Tests.Fakes;

/// <summary>An overview source whose state the test sets and pushes by hand.</summary>
internal sealed class FakeOverviewSource : IOverviewSource
{
    private readonly List<Func<OverviewState, Task>> _subscribers = [];

    public OverviewState Current { get; set; } = OverviewState.Loading;

    public int SubscriberCount => _subscribers.Count;

    public IDisposable Subscribe(Func<OverviewState, Task> onChanged)
    {
        _subscribers.Add(onChanged);
        return new Unsubscriber(() => _subscribers.Remove(onChanged));
    }

    public async Task PushAsync(OverviewState state)
    {
        Current = state;
        foreach (var subscriber in _subscribers.ToList())
        {
            await subscriber(state);
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
