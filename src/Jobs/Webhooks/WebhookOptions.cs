using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;

namespace Dashboard.Jobs.Webhooks;

/// <summary><c>Dashboard:Webhooks</c>: how <see cref="DeliverWebhookJob"/> signs and sends deliveries.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Dashboard:Webhooks";

    public const int MinSecretLength = 32;

    /// <summary>The Standard Webhooks form of a secret: this prefix, then the key bytes in base64.</summary>
    public const string StandardSecretPrefix = "whsec_";

    /// <summary>Fewest key bytes of a <c>whsec_</c> secret; the Standard Webhooks spec asks for 24 to 64.</summary>
    public const int MinSecretBytes = 24;

    /// <summary>
    /// The first signing secret (kept from before rotation existed; <see cref="Secrets"/> adds more).
    /// HMAC-SHA256 key shared with the receivers. There is no default, because a secret in a file every replica ships
    /// with is no secret: set it from the environment (<c>Dashboard__Webhooks__SigningSecret</c>). It may be missing
    /// (or empty, as compose files write an unset variable) at start-up so replicas that never send webhooks need
    /// none; a delivery without it fails at once. A short one is refused at start-up: anyone holding one captured
    /// delivery can test guesses of it offline.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// More active signing secrets, for rotation: every delivery is signed with <see cref="SigningSecret"/> and each of
    /// these (one <c>v1,</c> entry per secret in <c>webhook-signature</c>), so receivers can move to a new secret
    /// before the old one is removed. A secret is either <c>whsec_</c> + base64 (the Standard Webhooks form: the key
    /// is the decoded bytes) or plain text of at least 32 characters (the key is its UTF-8 bytes).
    /// </summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>
    /// Networks outside the public internet that deliveries may still reach, as CIDR ranges (<c>10.1.2.0/24</c>,
    /// <c>127.0.0.0/8</c>, <c>::1/128</c>). Empty by default: loopback, private, link-local (cloud metadata),
    /// carrier-grade NAT, unique-local, multicast and reserved addresses are refused, after DNS, when connecting.
    /// </summary>
    public List<string> AllowPrivateNetworks { get; set; } = [];

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
        if (!string.IsNullOrEmpty(SigningSecret) && SecretProblem(SigningSecret) is { } problem)
        {
            yield return new ValidationResult(
                $"Dashboard:Webhooks:SigningSecret {problem} (set it with Dashboard__Webhooks__SigningSecret).",
                [nameof(SigningSecret)]);
        }

        for (var i = 0; i < Secrets.Count; i++)
        {
            // An empty entry is an unset variable in a compose file, as for SigningSecret. The value is never echoed.
            if (!string.IsNullOrEmpty(Secrets[i]) && SecretProblem(Secrets[i]) is { } secretProblem)
            {
                yield return new ValidationResult(
                    $"Dashboard:Webhooks:Secrets:{i} {secretProblem} (set it with Dashboard__Webhooks__Secrets__{i}).",
                    [nameof(Secrets)]);
            }
        }

        foreach (var entry in AllowPrivateNetworks)
        {
            if (ParseNetwork(entry) is null)
            {
                yield return new ValidationResult(
                    $"Dashboard:Webhooks:AllowPrivateNetworks contains '{entry}', which is not a CIDR range with its host bits zero (use e.g. 10.1.2.0/24, 127.0.0.0/8 or ::1/128).",
                    [nameof(AllowPrivateNetworks)]);
            }
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

    /// <summary>The active secrets in order, <see cref="SigningSecret"/> first; empty entries are unset ones.</summary>
    public IReadOnlyList<string> ActiveSecrets() =>
        [.. new[] { SigningSecret }.Concat(Secrets).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The HMAC key of a secret: the base64-decoded bytes after <c>whsec_</c> (as every Standard Webhooks library reads
    /// it), else the UTF-8 bytes of the text, which is what the single-secret setting always meant.
    /// </summary>
    public static byte[] KeyOf(string secret) =>
        secret.StartsWith(StandardSecretPrefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[StandardSecretPrefix.Length..])
            : Encoding.UTF8.GetBytes(secret);

    /// <summary>The parsed <see cref="AllowPrivateNetworks"/> (validated at start-up).</summary>
    public IReadOnlyList<IPNetwork> AllowedPrivateNetworks() =>
        [.. AllowPrivateNetworks.Select(n => ParseNetwork(n) ?? throw new FormatException($"'{n}' is not a CIDR range."))];

    /// <summary>
    /// A CIDR range written with its host bits zero. <see cref="IPNetwork.TryParse(string?, out IPNetwork)"/> masks
    /// <c>10.0.0.1/8</c> to <c>10.0.0.0/8</c> silently; an operator who wrote that may have meant <c>/32</c>, so it is
    /// refused instead of guessed.
    /// </summary>
    private static IPNetwork? ParseNetwork(string? entry)
    {
        var text = entry?.Trim() ?? "";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && IPNetwork.TryParse(text, out var network)
            && IPAddress.TryParse(text[..slash], out var address)
            && address.Equals(network.BaseAddress)
                ? network
                : null;
    }

    private static string? SecretProblem(string secret)
    {
        if (!secret.StartsWith(StandardSecretPrefix, StringComparison.Ordinal))
        {
            return secret.Length < MinSecretLength
                ? $"must be at least {MinSecretLength} characters, or {StandardSecretPrefix} and base64 of at least {MinSecretBytes} bytes"
                : null;
        }

        var key = new byte[secret.Length];
        return !Convert.TryFromBase64String(secret[StandardSecretPrefix.Length..], key, out var length)
            ? $"starts with {StandardSecretPrefix} but the rest is not base64"
            : length < MinSecretBytes
                ? $"starts with {StandardSecretPrefix} but its key is {length} bytes; at least {MinSecretBytes} are needed"
                : null;
    }
}
