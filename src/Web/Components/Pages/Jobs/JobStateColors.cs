using MudBlazor;

namespace Dashboard.Web.Components.Pages.Jobs;

internal static class JobStateColors
{
    public static Color Of(string state) => state switch
    {
        JobStateNames.Succeeded => Color.Success,
        JobStateNames.Failed => Color.Error,
        JobStateNames.Processing => Color.Info,
        JobStateNames.Scheduled => Color.Warning,
        JobStateNames.Deleted => Color.Default,
        _ => Color.Primary,
    };
}
