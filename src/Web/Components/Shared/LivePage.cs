using Dashboard.Web.Monitoring;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Web.Components.Shared;

/// <summary>
/// A page fed by the per-process snapshot service: it subscribes when it opens, re-renders on every push and
/// unsubscribes when the circuit closes. It never queries storage itself.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private static readonly TimeSpan FirstSnapshotWait = TimeSpan.FromSeconds(2);
    private IDisposable? _subscription;

    [Inject] protected IOverviewSource Source { get; set; } = default!;

    [Inject] protected TimeProvider Time { get; set; } = default!;

    [Inject] private Microsoft.Extensions.Options.IOptions<Hosting.UiOptions> Ui { get; set; } = default!;

    protected OverviewState State { get; private set; } = OverviewState.Loading;

    protected override async Task OnInitializedAsync()
    {
        State = Source.Current;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _subscription = Source.Subscribe(state => InvokeAsync(() =>
        {
            State = state;
            OnSnapshot(state);
            StateHasChanged();
            first.TrySetResult();
        }));

        // Nobody had a live page open, so there is no snapshot yet, or only one from before a quiet spell: wait
        // briefly for the one our subscription asked for, so the first paint (and the prerendered HTML) shows
        // current figures rather than a progress bar or old ones.
        if (State == OverviewState.Loading || IsOld(State))
        {
            await Task.WhenAny(first.Task, Task.Delay(FirstSnapshotWait));
        }
    }

    private bool IsOld(OverviewState state) =>
        state.Snapshot is { } snapshot && Time.GetUtcNow() - snapshot.TakenAt > 3 * Ui.Value.RefreshInterval;

    /// <summary>Called on the renderer's thread with each pushed state, before the re-render.</summary>
    protected virtual void OnSnapshot(OverviewState state)
    {
    }

    /// <summary>"12 s ago", "4 min ago"; "–" when unknown.</summary>
    protected string Ago(DateTimeOffset? at) => at is { } value
        ? (Time.GetUtcNow() - value).TotalSeconds < 1 ? "just now" : $"{Durations.Format(Time.GetUtcNow() - value)} ago"
        : "–";

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
