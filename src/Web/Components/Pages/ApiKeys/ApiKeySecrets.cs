using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Dashboard.Web.Components.Pages.ApiKeys;

/// <summary>How UI-created keys look and how they are stored.</summary>
internal static class ApiKeySecrets
{
    /// <summary>Makes a leaked key recognisable to secret scanners and to people reading a log or a config file.</summary>
    public const string KeyPrefix = "dsh_";

    /// <summary>What the list shows of a key: the marker and a few random characters, far too few to guess the rest.</summary>
    public const int ShownPrefixLength = 12;

    /// <summary>32 random bytes: 256 bits, base64url so it survives headers, shells and URLs unescaped.</summary>
    public static string NewKey() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256, the form <c>dashboard.api_keys.hash</c> holds.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

}
