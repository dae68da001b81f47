namespace Dashboard.Web.Components.Layout;

/// <summary>
/// The dark/light choice is kept in a cookie rather than local storage so the server renders the right theme on the
/// first paint, without a flash of the other one.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "dashboard-theme";

    public static bool IsDark(HttpContext? context) =>
        string.Equals(context?.Request.Cookies[CookieName], "dark", StringComparison.Ordinal);
}
