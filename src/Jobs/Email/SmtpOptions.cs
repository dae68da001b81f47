using System.ComponentModel.DataAnnotations;

namespace Dashboard.Jobs.Email;

/// <summary>
/// <c>Dashboard:Smtp</c>: the relay the send-email job hands messages to. The credentials have no defaults and do
/// not belong in <c>appsettings.json</c>: set them as <c>Dashboard__Smtp__UserName</c> and
/// <c>Dashboard__Smtp__Password</c>.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Dashboard:Smtp";

    /// <summary>No default in code: a relay silently assumed would swallow mail in production.</summary>
    [Required(ErrorMessage = "Dashboard:Smtp:Host is required (the SMTP relay's host name).")]
    public string Host { get; set; } = "";

    /// <summary>25 is the plain relay port; 587 (submission, with StartTls) or 465 (SslOnConnect) for most providers.</summary>
    [Range(1, 65535, ErrorMessage = "Dashboard:Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 25;

    /// <summary>Envelope sender and From header; its domain also names the Message-Id, which must be globally unique.</summary>
    [Required(ErrorMessage = "Dashboard:Smtp:From is required (the sender address).")]
    [EmailAddress(ErrorMessage = "Dashboard:Smtp:From must be an email address.")]
    public string From { get; set; } = "";

    /// <summary>Empty means the relay accepts us without authentication (a local relay or a trusted network).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// StartTlsWhenAvailable encrypts whenever the relay offers it and still works with a local relay that does not;
    /// choose StartTls or SslOnConnect when credentials cross an untrusted network, so a downgrade cannot expose them.
    /// </summary>
    [EnumDataType(typeof(SmtpSecurity), ErrorMessage = "Dashboard:Smtp:Security must be None, StartTls, StartTlsWhenAvailable or SslOnConnect.")]
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTlsWhenAvailable;

    /// <summary>
    /// Per SMTP operation (connect, each command, the upload). Bounded so a hung relay fails the attempt and lets the
    /// retry policy take over instead of holding a worker for the whole shutdown window.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Dashboard:Smtp:Timeout must be between 1 second and 10 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Our own names for MailKit's socket options, so configuration does not depend on the library's enum.</summary>
public enum SmtpSecurity
{
    None,
    StartTls,
    StartTlsWhenAvailable,
    SslOnConnect,
}
