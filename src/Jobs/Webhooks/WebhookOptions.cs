using System.ComponentModel.DataAnnotations;

namespace Dashboard.Jobs.Webhooks;

/// <summary><c>Dashboard:Webhooks</c>: how <see cref="DeliverWebhookJob"/> signs and sends deliveries.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Dashboard:Webhooks";

    public const int MinSecretLength = 32;

    /// <summary>
    /// HMAC-SHA256 key shared with the receivers. There is no default, because a secret in a file every replica ships
    /// with is no secret: set it from the environment (<c>Dashboard__Webhooks__SigningSecret</c>). It may be missing
    /// (or empty, as compose files write an unset variable) at start-up so replicas that never send webhooks need
    /// none; a delivery without it fails at once. A short one is refused at start-up: anyone holding one captured
    /// delivery can test guesses of it offline.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// Per attempt, connect to response. A receiver that is slower than this is treated as down and retried later,
    /// instead of holding one of the process's workers.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Dashboard:Webhooks:Timeout must be between 1 second and 5 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest payload sent, in UTF-8 bytes. Arguments live in Hangfire's job table and are copied into every state
    /// change, so large payloads cost the database more than the receiver; 256 KiB is what common webhook providers
    /// accept.
    /// </summary>
    [Range(1, 16 * 1024 * 1024, ErrorMessage = "Dashboard:Webhooks:MaxPayloadBytes must be between 1 and 16777216.")]
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Hosts deliveries may go to (<c>hooks.example.com</c>, or <c>*.example.com</c> for its subdomains). Empty allows
    /// any host. Anyone with an API key chooses the URL, so without a list the worker can be pointed at internal
    /// services.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(SigningSecret) && SigningSecret.Length < MinSecretLength)
        {
            yield return new ValidationResult(
                $"Dashboard:Webhooks:SigningSecret must be at least {MinSecretLength} characters (set it with Dashboard__Webhooks__SigningSecret).",
                [nameof(SigningSecret)]);
        }

        foreach (var host in AllowedHosts)
        {
            var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (Uri.CheckHostName(name) == UriHostNameType.Unknown)
            {
                yield return new ValidationResult(
                    $"Dashboard:Webhooks:AllowedHosts contains '{host}', which is not a host name (use hooks.example.com or *.example.com).",
                    [nameof(AllowedHosts)]);
            }
        }
    }

    /// <summary>Whether <paramref name="host"/> is allowed; a <c>*.example.com</c> entry matches subdomains, not example.com itself.</summary>
    public bool AllowsHost(string host)
    {
        if (AllowedHosts.Count == 0)
        {
            return true;
        }

        foreach (var entry in AllowedHosts)
        {
            var matches = entry.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(host, entry, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                return true;
            }
        }

        return false;
    }
}
