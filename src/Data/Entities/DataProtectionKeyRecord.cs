namespace Dashboard.Data.Entities;

/// <summary>
/// One ASP.NET Core data-protection key. Keys live in PostgreSQL so that every web replica can read the
/// antiforgery tokens and cookies that another replica issued.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }

    public string FriendlyName { get; set; } = "";

    public string Xml { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
