using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Admin;

public sealed class ApiKeyRegistryGrain(
    [PersistentState("apiKeys", StorageNames.Default)] IPersistentState<ApiKeyRegistryState> state,
    TimeProvider clock) : Grain, IApiKeyRegistryGrain
{
    public async Task<ApiKey> AddAsync(NewApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (state.State.Keys.TryGetValue(key.Id, out var existing))
        {
            return existing;
        }
        var added = new ApiKey(key.Id, key.Name, key.Platform, key.Hash, clock.GetUtcNow(), key.CreatedBy, RevokedAt: null);
        state.State.Keys[key.Id] = added;
        await WriteAsync();
        return added;
    }

    public async Task<bool> RevokeAsync(string id)
    {
        if (!state.State.Keys.TryGetValue(id, out var key))
        {
            return false;
        }
        if (key.RevokedAt is null)
        {
            state.State.Keys[id] = key with { RevokedAt = clock.GetUtcNow() };
            await WriteAsync();
        }
        return true;
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync() => Task.FromResult<IReadOnlyList<ApiKey>>([.. state.State.Keys.Values]);

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
