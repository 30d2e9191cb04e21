namespace FriendlyChaoyang.Admin;

[GenerateSerializer, Alias("fc.ApiKeyRegistryState")]
public sealed class ApiKeyRegistryState
{
    /// <summary>By key id.</summary>
    [Id(0)] public Dictionary<string, ApiKey> Keys { get; set; } = new(StringComparer.Ordinal);
}
