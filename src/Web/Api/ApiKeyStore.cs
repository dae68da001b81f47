using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Api;

/// <summary>
/// Checks a presented API key against the configured ones. Only SHA-256 hashes are kept, so a heap dump does not
/// hand out keys, and every stored hash is compared in constant time on every call, so the response time tells an
/// attacker neither how much of a key was right nor which key was hit.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly (ApiCaller Caller, byte[] Hash)[] _keys;

    public ApiKeyStore(IOptions<ApiKeyOptions> options)
    {
        _keys = [.. options.Value.Keys
            .Where(k => !string.IsNullOrWhiteSpace(k.Value.Key))
            .OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => (new ApiCaller(k.Key, k.Value.Scope), Hash(k.Value.Key!.Trim())))];
    }

    public IReadOnlyList<string> Names => [.. _keys.Select(k => k.Caller.Name)];

    /// <summary>The key that matches <paramref name="presentedKey"/> (its name and scope), or null when none does.</summary>
    public ApiCaller? Authenticate(string presentedKey)
    {
        // Hashing first gives every comparison the same length, whatever the caller sent.
        var presented = Hash(presentedKey);
        var match = -1;
        for (var i = 0; i < _keys.Length; i++)
        {
            // No break and no branch on the result: all keys are compared, and the index is selected with a mask.
            var equal = CryptographicOperations.FixedTimeEquals(presented, _keys[i].Hash) ? 1 : 0;
            var mask = -equal;
            match = (i & mask) | (match & ~mask);
        }

        return match < 0 ? null : _keys[match].Caller;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
