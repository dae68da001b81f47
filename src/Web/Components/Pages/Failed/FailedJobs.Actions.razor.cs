using System.Globalization;
using System.Security.Claims;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using MudBlazor;

namespace Dashboard.Web.Components.Pages.Failed;

/// <summary>The Failed page's actions: one row, the selection, everything matching, and stopping a bulk operation.</summary>
public sealed partial class FailedJobs
{
    private Task RequeueRowAsync(long id) => RunAsync(async user =>
    {
        var result = await Commands.RequeueAsync(user, id.ToString(CultureInfo.InvariantCulture));
        _selected.Remove(id);
        return (result.Succeeded, result.Message);
    });

    /// <summary>Each selected job goes through <see cref="IJobCommands"/>, so each is checked and audited on its own.</summary>
    private Task RunSelectedAsync(BulkAction action) => RunAsync(async user =>
    {
        var ids = _selected.Order().ToList();
        var results = new List<JobCommandResult>(ids.Count);
        foreach (var id in ids)
        {
            var jobId = id.ToString(CultureInfo.InvariantCulture);
            results.Add(action == BulkAction.Requeue ? await Commands.RequeueAsync(user, jobId) : await Commands.DeleteAsync(user, jobId));
        }

        _selected.Clear();
        var done = results.Count(r => r.Succeeded);
        var verb = action == BulkAction.Requeue ? "Requeued" : "Deleted";
        var failures = results.Where(r => !r.Succeeded).Select(r => r.Message).Distinct().Take(3).ToList();
        return (done == ids.Count, $"{verb} {done} of {ids.Count} selected jobs." + (failures.Count > 0 ? " " + string.Join(" ", failures) : ""));
    });

    private async Task ConfirmAllAsync(BulkAction action)
    {
        MatchSnapshot preview;
        try
        {
            preview = await FailedCommands.PreviewAsync(_filter);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            (_messageOk, _message) = (false, Failures.Describe(ex, "Counting the matching jobs").Message);
            return;
        }

        if (preview.Count == 0)
        {
            (_messageOk, _message) = (false, "No failed jobs match this filter.");
            return;
        }

        var parameters = new DialogParameters<BulkConfirmDialog>
        {
            { d => d.Action, action }, { d => d.Count, preview.Count }, { d => d.Filter, _filter.Describe() },
        };
        var dialog = await Dialogs.ShowAsync<BulkConfirmDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small });
        if (await dialog.Result is not { Canceled: false })
        {
            return;
        }

        await RunAsync(async user =>
        {
            var started = await FailedCommands.StartAsync(user, action, _filter, preview);
            _operations = Shown(Bulk.Recent);
            return (started.Succeeded, started.Message);
        });
    }

    private Task CancelBulkAsync(Guid id) => RunAsync(async user =>
    {
        var result = await FailedCommands.CancelAsync(user, id);
        return (result.Succeeded, result.Message);
    });

    private async Task RunAsync(Func<ClaimsPrincipal, Task<(bool Ok, string Message)>> action)
    {
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            (_messageOk, _message) = await action(user);
            await LoadRowsAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            (_messageOk, _message) = (false, Failures.DescribeAction(ex, "The action").Message);
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose()
    {
        _overviewSubscription?.Dispose();
        _bulkSubscription?.Dispose();
    }
}
