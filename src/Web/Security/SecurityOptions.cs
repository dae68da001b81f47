using System.ComponentModel.DataAnnotations;

namespace Dashboard.Web.Security;

/// <summary><c>Dashboard:Security</c>: transport and sign-in hardening that depends on where the app runs.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Dashboard:Security";

    /// <summary>
    /// Redirect http to https and send HSTS. Empty means "outside Development"; set it to false when a TLS proxy in
    /// front of the app terminates https (the app then sees plain http) or when tests talk plain http to it.
    /// </summary>
    public bool? HttpsRedirection { get; set; }

    /// <summary>
    /// Take the client address and scheme from X-Forwarded-For / X-Forwarded-Proto. Turn it on only when the app is
    /// reachable solely through a reverse proxy that sets them: then the login rate limit and the audit trail see the
    /// real client instead of the proxy, and https-only redirects and cookies work behind TLS termination. Any caller
    /// could forge these headers if the app were reachable directly, so it is off by default.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Sign-in form posts allowed per client address per minute; more get 429 Too Many Requests.</summary>
    [Range(1, 10_000, ErrorMessage = "Dashboard:Security:LoginAttemptsPerMinute must be between 1 and 10000.")]
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Wrong passwords for one account from one client address within <see cref="LockoutWindow"/> after which that
    /// address is refused for that account (other addresses, the owner's among them, are not).
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Dashboard:Security:LockoutFailures must be between 1 and 1000.")]
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How far back failures count, and so how long an address stays refused after its last one.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Dashboard:Security:LockoutWindow must be between 1 minute and 1 day.")]
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Wrong passwords for one account from all addresses within <see cref="LockoutWindow"/> after which every attempt
    /// on it waits <see cref="SlowdownDelay"/> before the password is checked.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Dashboard:Security:SlowdownAfterFailures must be between 1 and 100000.")]
    public int SlowdownAfterFailures { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:00", "00:00:10", ErrorMessage = "Dashboard:Security:SlowdownDelay must be between 0 and 10 seconds.")]
    public TimeSpan SlowdownDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a sign-in cookie and an open page re-check the account. A disabled, demoted or reset user loses
    /// access within this time; each check is one small query per user.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Dashboard:Security:SessionRevalidationInterval must be between 0 and 1 hour.")]
    public TimeSpan SessionRevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary><c>Dashboard:Admin</c>: the first administrator, created only while no user exists.</summary>
public sealed class AdminOptions
{
    public const string Section = "Dashboard:Admin";

    public string? Email { get; set; }

    /// <summary>A secret: set it in the environment (<c>Dashboard__Admin__Password</c>), never in appsettings.json.</summary>
    public string? Password { get; set; }
}
