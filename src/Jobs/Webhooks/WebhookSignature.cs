using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dashboard.Jobs.Webhooks;

/// <summary>
/// The headers of a delivery and its signature, in the Standard Webhooks scheme
/// (https://github.com/standard-webhooks/standard-webhooks): <c>webhook-signature</c> is <c>v1,</c> and the base64
/// HMAC-SHA256 of <c>"&lt;webhook-id&gt;.&lt;webhook-timestamp&gt;.&lt;body&gt;"</c>, one space-separated entry per
/// active secret. Signing the id means a captured request cannot be replayed under a new id past the receiver's
/// duplicate check; signing the timestamp lets the receiver refuse old ones.
/// </summary>
/// <remarks>
/// Signed here rather than with the StandardWebhooks package: its signer takes one key, and rotation needs every
/// active key in the same header. The package's verifier checks our output in the tests.
/// </remarks>
public static class WebhookSignature
{
    /// <summary>Not signed; anything a receiver must trust belongs in the body.</summary>
    public const string EventHeader = "X-Dashboard-Event";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>
    /// The <c>webhook-signature</c> value: <paramref name="body"/>, the exact bytes sent, signed under
    /// <paramref name="id"/> at <paramref name="unixSeconds"/> with each of <paramref name="keys"/>.
    /// </summary>
    public static string Compute(IEnumerable<byte[]> keys, string id, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(id + "." + unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed))));
    }

    /// <summary>The same with secrets as configured (<c>whsec_</c> base64 or plain text, see <see cref="WebhookOptions.KeyOf"/>).</summary>
    public static string Compute(IEnumerable<string> secrets, string id, long unixSeconds, ReadOnlySpan<byte> body) =>
        Compute(secrets.Select(WebhookOptions.KeyOf), id, unixSeconds, body);
}
