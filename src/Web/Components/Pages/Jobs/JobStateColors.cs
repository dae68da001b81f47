using MudBlazor;

namespace Dashboard.Web.Components.Pages.Jobs;

/// <summary>Hangfire's state names as constants (Hangfire declares them <c>static readonly</c>, which patterns cannot use).</summary>
internal static class JobStateNames
{
    public const string Enqueued = "Enqueued";
    public const string Scheduled = "Scheduled";
    public const string Processing = "Processing";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Deleted = "Deleted";
    public const string Awaiting = "Awaiting";
}

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
