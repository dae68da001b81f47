namespace Dashboard.Data.Entities;

/// <summary>
/// An API key for <c>POST /api/jobs/{name}</c>, created by an admin in the UI. Only its SHA-256 hash is stored; the key
/// itself is shown once, at creation.
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public string Hash { get; set; } = "";

    /// <summary>The first characters of the key, so people can tell keys apart without the secret.</summary>
    public string Prefix { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    /// <summary>The job names this key may enqueue; null means every job (a key created before scopes existed).</summary>
    public string[]? Jobs { get; set; }

    /// <summary>The queues this key may enqueue into; null means every configured queue.</summary>
    public string[]? Queues { get; set; }

    /// <summary>Requests per minute this key may send to one process; null means the default.</summary>
    public int? RequestsPerMinute { get; set; }
}
