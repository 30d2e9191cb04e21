using System.Security.Cryptography;
using System.Text;
using FriendlyChaoyang.Api.Idempotency;

namespace FriendlyChaoyang.Api.Tests.Idempotency;

public sealed class IdempotentIdsTests
{
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes(ApiFixture.SigningKey);

    [Fact]
    public void InstancesSharingTheSigningKeyGiveARepeatedKeyTheSameId() =>
        Assert.Equal(
            IdempotentIds.FromSigningKey(SigningKey).IdFor("redemption", "rider-1", "haircut-1", 12),
            IdempotentIds.FromSigningKey([.. SigningKey]).IdFor("redemption", "rider-1", "haircut-1", 12));

    [Fact]
    public void AnIdCannotBeComputedFromTheRiderAndItsKeyWithoutTheServerSecret()
    {
        var id = IdempotentIds.FromSigningKey(SigningKey).IdFor("redemption", "rider-1", "haircut-1", 12);

        Assert.NotEqual(id, IdempotentIds.FromSigningKey(Encoding.UTF8.GetBytes(new string('k', 48))).IdFor("redemption", "rider-1", "haircut-1", 12));
        Assert.NotEqual(id, new IdempotentIds(SHA256.HashData("x"u8)).IdFor("redemption", "rider-1", "haircut-1", 12));
    }

    [Fact]
    public void PurposeCallerAndKeyEachSeparateTheIds()
    {
        var ids = IdempotentIds.FromSigningKey(SigningKey);
        var id = ids.IdFor("redemption", "rider-1", "k", 24);

        Assert.NotEqual(id, ids.IdFor("issue", "rider-1", "k", 24));
        Assert.NotEqual(id, ids.IdFor("redemption", "rider-2", "k", 24));
        Assert.NotEqual(id, ids.IdFor("redemption", "rider-1", "k2", 24));
    }

    [Fact]
    public void WithoutAKeyEveryIdIsNew()
    {
        var ids = IdempotentIds.FromSigningKey(SigningKey);

        Assert.Equal(100, Enumerable.Range(0, 100).Select(_ => ids.IdFor("redemption", "rider-1", null, 12)).Distinct().Count());
    }
}
