using System.Security.Claims;
using Dashboard.Web.Security;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>Signed-in users as the sign-in cookie will present them: a name and a role.</summary>
internal static class Principals
{
    public const string AdminName = "ada@example.test";
    public const string OperatorName = "ann@example.test";
    public const string ViewerName = "vic@example.test";

    public static ClaimsPrincipal Admin => For(AdminName, UserRoles.Admin);

    public static ClaimsPrincipal Operator => For(OperatorName, UserRoles.Operator);

    public static ClaimsPrincipal Viewer => For(ViewerName, UserRoles.Viewer);

    private static ClaimsPrincipal For(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, "id-" + name), new Claim(ClaimTypes.Role, role)], "test"));
}
