using System.Security.Cryptography;
using System.Text;

namespace Dashboard.Jobs.Tests.Webhooks;

/// <summary>
/// The receiver's check exactly as the README's webhook section shows it, so the documented example is known to work
/// (the integration tests run it on real deliveries too).
/// </summary>
public static class WebhookReceiverExample
{
    // secret: as configured in the Dashboard, "whsec_" + base64 (the key is the decoded bytes) or plain text (its UTF-8 bytes).
    public static bool IsAuthentic(string secret, string id, string timestamp, string signatures, byte[] body)
    {
        if (id.Length == 0 || !long.TryParse(timestamp, out var sent) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - sent) > 300)
        {
            return false;
        }

        var key = secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret[6..]) : Encoding.UTF8.GetBytes(secret);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        // One "v1,<base64>" entry per secret the sender holds, separated by spaces: any one of them may match.
        return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(entry => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(entry)));
    }
}
