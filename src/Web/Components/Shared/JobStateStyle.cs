using Dashboard.Web.Components.Pages.Jobs;
using MudBlazor;

namespace Dashboard.Web.Components.Shared;

/// <summary>
/// The one look of a job state: the same colour and icon on the overview's counts, the job lists, a job's details
/// and timeline, and the recurring jobs' last run. Scheduled is its own colour (not a warning: a scheduled job is
/// not in trouble; retries have their own count on the overview).
/// </summary>
public static class JobStateStyle
{
    /// <summary>What the recurring list shows when Hangfire no longer has the last run's job.</summary>
    public const string Expired = "expired";

    public static Color ColorOf(string? state) => state switch
    {
        JobStateNames.Enqueued => Color.Primary,
        JobStateNames.Scheduled => Color.Secondary,
        JobStateNames.Processing => Color.Info,
        JobStateNames.Succeeded => Color.Success,
        JobStateNames.Failed => Color.Error,
        JobStateNames.Awaiting => Color.Tertiary,
        _ => Color.Default,
    };

    public static string IconOf(string? state) => state switch
    {
        JobStateNames.Enqueued => Icons.Material.Filled.Inbox,
        JobStateNames.Scheduled => Icons.Material.Filled.Schedule,
        JobStateNames.Processing => Icons.Material.Filled.Autorenew,
        JobStateNames.Succeeded => Icons.Material.Filled.CheckCircleOutline,
        JobStateNames.Failed => Icons.Material.Filled.ErrorOutline,
        JobStateNames.Deleted => Icons.Material.Filled.DeleteOutline,
        JobStateNames.Awaiting => Icons.Material.Filled.HourglassEmpty,
        _ => Icons.Material.Filled.HelpOutline,
    };

    /// <summary>The state as people read it: Hangfire's name, or "expired" when there is none.</summary>
    public static string LabelOf(string? state) => string.IsNullOrWhiteSpace(state) ? Expired : state;
}
