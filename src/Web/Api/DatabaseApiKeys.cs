using System.Security.Cryptography;
using System.Text;
using Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Api;

/// <summary>
/// The API keys admins created in the UI (<c>dashboard.api_keys</c>), checked after the configured ones.
/// <para>
/// The non-revoked keys, with their scopes, are loaded as one small set and kept for <see cref="CacheFor"/>; a request then costs a
/// dictionary look-up, and a flood of wrong keys costs the database nothing. A revocation in this process clears the
/// set at once (<see cref="Invalidate"/>); other replicas stop accepting the key, or apply its new scope, within
/// <see cref="CacheFor"/>.
/// </para>
/// <para>
/// The look-up is by hash and not in constant time, and that is safe: the stored values are SHA-256 hashes of 256-bit
/// random secrets, so learning through timing how many leading bytes of a hash matched tells an attacker nothing
/// about any key (they would need a pre-image). Configured keys, which people choose, keep the constant-time scan of
/// <see cref="ApiKeyStore"/>.
/// </para>
/// <para>
/// <c>last_used_at</c> is written at most once per <see cref="LastUsedResolution"/> per key and process, so busy
/// callers do not add a write to every request.
/// </para>
/// </summary>
public sealed partial class DatabaseApiKeys(IDbContextFactory<DashboardDbContext> contexts, TimeProvider time, ILogger<DatabaseApiKeys> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Dictionary<long, DateTimeOffset> _lastUsedWritten = [];
    private volatile Snapshot? _snapshot;

    /// <summary>The non-revoked key that matches (its name and scope), or null.</summary>
    public async Task<ApiCaller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken = default)
    {
        var keys = await CurrentAsync(cancellationToken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey)));
        if (!keys.ByHash.TryGetValue(hash, out var key))
        {
            return null;
        }

        await TouchAsync(key, cancellationToken);
        return key.Caller;
    }

    /// <summary>Forgets the cached keys, so a key revoked or created in this process counts on the next request.</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_snapshot is { } fresh && now - fresh.LoadedAt < CacheFor)
        {
            return fresh;
        }

        // One load per expiry, however many requests arrive at that moment.
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } loaded && now - loaded.LoadedAt < CacheFor)
            {
                return loaded;
            }

            await using var context = await contexts.CreateDbContextAsync(cancellationToken);
            var keys = await context.ApiKeys.AsNoTracking()
                .Where(k => k.RevokedAt == null)
                .Select(k => new { k.Id, k.Name, k.Hash, k.LastUsedAt, k.Jobs, k.Queues, k.RequestsPerMinute })
                .ToListAsync(cancellationToken);
            var snapshot = new Snapshot(now, keys.ToDictionary(
                k => k.Hash,
                k => new Key(k.Id, new ApiCaller(k.Name, new ApiKeyScope(k.Jobs, k.Queues, k.RequestsPerMinute)), k.LastUsedAt),
                StringComparer.Ordinal));
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task TouchAsync(Key key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lastUsedWritten)
        {
            // After a restart the stored time counts, so a fresh process does not write for every key at once.
            var last = _lastUsedWritten.TryGetValue(key.Id, out var written) ? written : key.LastUsedAt;
            if (last is { } previous && now - previous < LastUsedResolution)
            {
                return;
            }

            _lastUsedWritten[key.Id] = now;
        }

        try
        {
            await using var context = await contexts.CreateDbContextAsync(cancellationToken);
            await context.ApiKeys.Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A missed last-used time is not worth failing the caller's request over.
            LastUsedNotWritten(logger, ex, key.Caller.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last use of API key {ApiKeyName}")]
    private static partial void LastUsedNotWritten(ILogger logger, Exception exception, string apiKeyName);

    private sealed record Key(long Id, ApiCaller Caller, DateTimeOffset? LastUsedAt);

    private sealed record Snapshot(DateTimeOffset LoadedAt, Dictionary<string, Key> ByHash);
}
