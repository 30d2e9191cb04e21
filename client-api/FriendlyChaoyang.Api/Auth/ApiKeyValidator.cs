using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using FriendlyChaoyang.Admin;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>
/// Makes partner api keys and checks them against a copy of the registry that each API instance refreshes at most
/// every <see cref="AuthOptions.ApiKeyCacheTtl"/>: one grain call per instance per period whatever the traffic, so a flood
/// of made-up keys costs a hash and a dictionary lookup, and a revoked key stops working within that period everywhere.
/// </summary>
public sealed class ApiKeyValidator(IClusterClient cluster, AuthOptions options, TimeProvider clock) : IDisposable
{
    public const string Header = "X-Api-Key";

    private const string Prefix = "fcpk_";

    /// <summary>The prefix plus 32 bytes in unpadded base64url; anything much longer is not one of ours.</summary>
    private const int MaxKeyLength = 64;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot _snapshot = new(DateTimeOffset.MinValue, FrozenDictionary<string, ApiKey>.Empty);

    /// <summary>
    /// A new key and the hash to store. 256 random bits: nobody guesses one, so a plain SHA-256 is enough to keep stored
    /// hashes useless to a thief. A slow password hash (PBKDF2, Argon2) protects low-entropy secrets people choose, and
    /// would cost every partner request tens of milliseconds of CPU for nothing; an unsalted fast hash also lets us look
    /// a key up by its hash.
    /// </summary>
    public static (string Key, string Hash) NewKey()
    {
        var key = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (key, Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The unrevoked key, or null.</summary>
    public async ValueTask<ApiKey?> ValidateAsync(string key, CancellationToken cancellationToken) =>
        Find(await CurrentAsync(cancellationToken), key);

    /// <summary>The key as of the last refresh, without waiting for one (rate limiting partitions by it).</summary>
    public ApiKey? FindCached(string key) => Find(_snapshot, key);

    /// <summary>The next lookup re-reads the registry: a key revoked through this instance stops working here at once.</summary>
    public void Invalidate() => _snapshot = _snapshot with { LoadedAt = DateTimeOffset.MinValue };

    public void Dispose() => _refresh.Dispose();

    private static ApiKey? Find(Snapshot snapshot, string key) =>
        key.Length is > 0 and <= MaxKeyLength && snapshot.Keys.TryGetValue(Hash(key), out var found) ? found : null;

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_snapshot))
        {
            return _snapshot;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh(_snapshot))
            {
                return _snapshot;
            }
            var keys = await cluster.GetGrain<IApiKeyRegistryGrain>(0).ListAsync();
            _snapshot = new Snapshot(clock.GetUtcNow(), keys.Where(k => k.RevokedAt is null).ToFrozenDictionary(k => k.Hash, StringComparer.Ordinal));
            return _snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool IsFresh(Snapshot snapshot) => clock.GetUtcNow() - snapshot.LoadedAt < options.ApiKeyCacheTtl;

    private sealed record Snapshot(DateTimeOffset LoadedAt, FrozenDictionary<string, ApiKey> Keys);
}
