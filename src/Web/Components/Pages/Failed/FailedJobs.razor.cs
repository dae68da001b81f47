using Dashboard.Web.Components.Shared;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Monitoring;
using Hangfire.States;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Dashboard.Web.Components.Pages.Failed;

/// <summary>
/// The dead letters: failed jobs filtered and grouped by error, with per-row, selected and all-matching actions. Live
/// without polling: it listens to the per-process overview snapshot and reloads only when the failed count moves.
/// </summary>
public sealed partial class FailedJobs
{
    private const int GroupsShown = 20;
    // Grouping reads every matching failure (about 2 s at 100,000); live refreshes of a large list reuse it for this
    // long. Below the count cap it takes milliseconds, so it follows every change.
    private static readonly TimeSpan GroupsMaxAge = TimeSpan.FromSeconds(30);

    [Inject] private IJobSearchQueries Queries { get; set; } = default!;
    [Inject] private IFailedJobCommands FailedCommands { get; set; } = default!;
    [Inject] private IJobCommands Commands { get; set; } = default!;
    [Inject] private IOverviewSource Overview { get; set; } = default!;
    [Inject] private IBulkProgressSource Bulk { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private ReadFailures Failures { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "type")] public string? Type { get; set; }
    [SupplyParameterFromQuery(Name = "queue")] public string? Queue { get; set; }
    [SupplyParameterFromQuery(Name = "exception")] public string? Exception { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Text { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? To { get; set; }
    [SupplyParameterFromQuery(Name = "sig")] public string? Signature { get; set; }
    [SupplyParameterFromQuery(Name = "after")] public string? After { get; set; }
    [SupplyParameterFromQuery(Name = "before")] public string? Before { get; set; }
    [SupplyParameterFromQuery(Name = "size")] public string? Size { get; set; }

    private JobFilter _filter = new(State: FailedState.StateName);
    private JobPageRequest _request = new();
    private JobPage? _page;
    private CappedCount? _count;
    private ReadFailure? _error;
    private IReadOnlyList<ErrorGroup>? _groups;
    private ReadFailure? _groupsError;
    private DateTimeOffset _groupsAt;
    private readonly HashSet<long> _selected = [];
    private IReadOnlyList<BulkProgress> _operations = [];
    private string? _message;
    private bool _messageOk;
    private bool _busy;
    private long? _lastFailed;
    private long _newFailures;
    private IDisposable? _overviewSubscription;
    private IDisposable? _bulkSubscription;

    private bool OnFirstPage => _request.After is null && _request.Before is null;

    protected override void OnInitialized()
    {
        _lastFailed = Overview.Current.Snapshot?.Counts.Failed;
        _operations = Shown(Bulk.Recent);
        _overviewSubscription = Overview.Subscribe(state => InvokeAsync(() => OnOverviewAsync(state)));
        _bulkSubscription = Bulk.Subscribe(progress => InvokeAsync(() => OnBulkProgressAsync(progress)));
    }

    protected override async Task OnParametersSetAsync()
    {
        _filter = JobSearchUrl.Filter(FailedState.StateName, Type, Queue, Exception, Text, From, To, Signature);
        _request = JobSearchUrl.Page(After, Before, Size);
        _selected.Clear();
        _newFailures = 0;
        _groups = null;
        await LoadRowsAsync();
        // The rows are worth showing before the slower grouping has finished.
        StateHasChanged();
        await LoadGroupsAsync();
    }

    private async Task LoadRowsAsync()
    {
        try
        {
            _page = await Queries.FindAsync(_filter, _request);
            _count = await Queries.CountAsync(_filter);
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = Failures.Describe(ex, "The search for failed jobs");
            _page = null;
            _count = null;
        }
    }

    private async Task LoadGroupsAsync()
    {
        try
        {
            // Grouped without the signature, so the other errors stay in view to switch to.
            _groups = await Queries.GroupFailuresAsync(_filter with { Signature = null }, GroupsShown);
            _groupsError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _groupsError = Failures.Describe(ex, "Grouping the failures");
        }

        _groupsAt = Time.GetUtcNow();
    }

    private async Task OnOverviewAsync(OverviewState state)
    {
        if (state.Snapshot?.Counts.Failed is not { } failed || failed == _lastFailed)
        {
            return;
        }

        var delta = _lastFailed is { } last ? failed - last : 0;
        _lastFailed = failed;
        // Rows never move under an operator who is paging or has ticked some; they get a banner instead.
        if (OnFirstPage && _selected.Count == 0 && !_busy)
        {
            await RefreshAsync();
        }
        else
        {
            _newFailures = delta > 0 && _newFailures >= 0 ? _newFailures + delta : -1;
        }

        StateHasChanged();
    }

    private async Task OnBulkProgressAsync(BulkProgress progress)
    {
        _operations = Shown(Bulk.Recent);
        if (!progress.IsRunning && OnFirstPage && _selected.Count == 0)
        {
            _groupsAt = DateTimeOffset.MinValue;
            await RefreshAsync();
        }

        StateHasChanged();
    }

    private async Task RefreshAsync()
    {
        await LoadRowsAsync();
        if (_count is { AtLeast: false } || Time.GetUtcNow() - _groupsAt > GroupsMaxAge)
        {
            await LoadGroupsAsync();
        }
    }

    private IReadOnlyList<BulkProgress> Shown(IReadOnlyList<BulkProgress> recent) =>
        [.. recent.Where(p => p.IsRunning || p.FinishedAt > Time.GetUtcNow().AddMinutes(-30)).Take(3)];

    private void Navigate(JobFilter filter, int size, long? after = null, long? before = null)
    {
        // The state is the page itself, not a parameter of it.
        var parameters = JobSearchUrl.Parameters(filter with { State = null }, size, after, before);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private void Apply(JobFilter filter) => Navigate(filter, _request.Size);

    private void SelectGroup(string? signature) => Navigate(_filter with { Signature = signature }, _request.Size);

    private void GoTo(JobPageRequest request) => Navigate(_filter, request.Size, request.After, request.Before);

    private async Task ShowLatest()
    {
        _newFailures = 0;
        _selected.Clear();
        if (OnFirstPage)
        {
            await RefreshAsync();
        }
        else
        {
            Navigate(_filter, _request.Size);
        }
    }

    private void Toggle(long id)
    {
        if (!_selected.Remove(id))
        {
            _selected.Add(id);
        }
    }

    private void ToggleAll()
    {
        var rows = _page?.Rows ?? [];
        if (rows.All(r => _selected.Contains(r.Id)))
        {
            _selected.Clear();
        }
        else
        {
            _selected.UnionWith(rows.Select(r => r.Id));
        }
    }
}
