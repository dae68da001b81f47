using Microsoft.AspNetCore.Identity;

namespace Dashboard.Data.Entities;

/// <summary>A person who signs in to the dashboard. Accounts are created by admins; there is no self-registration.</summary>
public sealed class DashboardUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled account cannot sign in; its audit history stays.</summary>
    public bool IsDisabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
