using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dashboard.Jobs.Webhooks;

/// <summary>
/// The headers of a delivery and its signature: <c>sha256=</c> and the lower-case hex HMAC-SHA256, keyed with the
/// signing secret, of <c>"&lt;timestamp&gt;.&lt;body&gt;"</c>. Signing the timestamp with the body lets a receiver
/// refuse old deliveries replayed by someone who captured one.
/// </summary>
public static class WebhookSignature
{
    public const string EventHeader = "X-Dashboard-Event";
    public const string DeliveryHeader = "X-Dashboard-Delivery";
    public const string TimestampHeader = "X-Dashboard-Timestamp";
    public const string SignatureHeader = "X-Dashboard-Signature";

    /// <summary>Signs <paramref name="body"/>, the exact bytes sent, at <paramref name="unixSeconds"/>.</summary>
    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return "sha256=" + Convert.ToHexStringLower(mac);
    }
}
