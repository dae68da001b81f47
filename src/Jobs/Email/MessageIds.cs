using System.Globalization;
using System.Text;

namespace Dashboard.Jobs.Email;

/// <summary>
/// The Message-Id of an email is derived from its key, so every copy of one key (however it came to be sent) carries
/// the same id: downstream systems can deduplicate, and a bounce report names the key it belongs to.
/// </summary>
internal static class MessageIds
{
    /// <summary>RFC 5322 atext minus '%', which escapes everything else; dots are escaped to avoid dot-atom's rules.</summary>
    private const string Safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&'*+-/=?^_`{|}~";

    /// <summary><c>order-7</c> from <c>shop@example.com</c> → <c>order-7@example.com</c> (without angle brackets, as MimeKit wants it).</summary>
    public static string For(string messageKey, string domain)
    {
        var local = new StringBuilder(messageKey.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(messageKey))
        {
            if (b < 128 && Safe.Contains((char)b, StringComparison.Ordinal))
            {
                local.Append((char)b);
            }
            else
            {
                local.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return $"{local}@{domain}";
    }
}
