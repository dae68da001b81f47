namespace Dashboard.Web.Security;

/// <summary>
/// Headers every response carries. The policy lets Blazor Server and MudBlazor work: scripts only from our origin
/// (no inline script, so App.razor renders no import map), inline styles because MudBlazor sets style attributes,
/// the circuit's WebSocket through 'self', and no framing at all.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Where Hangfire's built-in pages are served. They (1.8) load one script file and use no inline script or event
    /// handler, so they get the same policy; the integration tests fail if an upgrade changes that.
    /// </summary>
    public const string HangfirePath = "/hangfire";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
}
