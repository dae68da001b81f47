namespace Dashboard.Web.Components.Pages.Jobs;

/// <summary>Hangfire's state names as constants (Hangfire declares them <c>static readonly</c>, which patterns cannot use).</summary>
public static class JobStateNames
{
    public const string Enqueued = "Enqueued";
    public const string Scheduled = "Scheduled";
    public const string Processing = "Processing";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Deleted = "Deleted";
    public const string Awaiting = "Awaiting";

    /// <summary>The states a job list can show, in Hangfire's spelling.</summary>
    public static readonly IReadOnlyList<string> All = [Enqueued, Scheduled, Processing, Succeeded, Failed, Deleted, Awaiting];

    /// <summary>The state named by <paramref name="value"/> in any letter case; false for anything else.</summary>
    public static bool TryParse(string? value, out string state)
    {
        state = All.FirstOrDefault(s => string.Equals(s, value?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? "";
        return state.Length > 0;
    }
}
