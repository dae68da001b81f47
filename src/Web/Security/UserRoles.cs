namespace Dashboard.Web.Security;

/// <summary>
/// The three roles of a dashboard user. Each includes what the one before it may do: an Operator can view, an Admin
/// can operate.
/// </summary>
public static class UserRoles
{
    /// <summary>Reads everything, changes nothing.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Requeues, deletes, triggers and runs bulk actions on jobs.</summary>
    public const string Operator = "Operator";

    /// <summary>Manages users and API keys.</summary>
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];
}
