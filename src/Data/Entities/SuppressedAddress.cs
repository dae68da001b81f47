namespace Dashboard.Data.Entities;

/// <summary>An address that hard-bounced: later sends to it are skipped.</summary>
public sealed class SuppressedAddress
{
    /// <summary>Lower-cased.</summary>
    public string Address { get; set; } = "";

    public string Reason { get; set; } = "";

    public string? MessageKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
