using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
