using System.Security.Claims;

namespace Dashboard.Web.Components.Pages.Audit;

/// <summary>Who did it, as the audit trail records it.</summary>
internal static class Actor
{
    /// <summary>The signed-in user's name; a caller without one is still recorded, because attempts matter too.</summary>
    public static string NameOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "(anonymous)";

    public static string? IdOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}
