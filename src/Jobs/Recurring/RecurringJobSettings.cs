namespace Dashboard.Jobs.Recurring;

/// <summary><c>Dashboard:Recurring:&lt;job-name&gt;</c>: when a declared recurring job runs.</summary>
public sealed class RecurringJobSettings
{
    /// <summary>Cron expression (5 fields, or 6 with seconds).</summary>
    public string? Cron { get; set; }

    /// <summary>IANA or Windows id; the cron is read in this zone (daylight-saving changes included).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>False removes the recurring job, so an operator can switch one off without a new build.</summary>
    public bool Enabled { get; set; } = true;
}
