namespace FriendlyChaoyang.Admin;

/// <summary>
/// Every partner platform's api key, in one grain (key 0): a few dozen partners, written when an admin adds or revokes
/// a key, read by each API instance every few seconds to refresh its cached copy.
/// </summary>
[Alias("fc.IApiKeyRegistryGrain")]
public interface IApiKeyRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Stores a new key. Repeating it with the same id returns the key already stored.</summary>
    [Alias("Add")]
    Task<ApiKey> AddAsync(NewApiKey key);

    /// <summary>Revokes the key; false when there is no key with that id. Revoking twice is harmless.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string id);

    /// <summary>Every key ever issued, revoked ones included (they stay as an audit trail).</summary>
    [Alias("List")]
    Task<IReadOnlyList<ApiKey>> ListAsync();
}
