using CsCheck;
using FriendlyChaoyang.Api.Idempotency;

namespace FriendlyChaoyang.Api.Tests.Idempotency;

public sealed class RequestFingerprintPropertyTests
{
    private static readonly Gen<string?> Field = Gen.Bool.Select(Gen.String, (isNull, s) => isNull ? null : (string?)s);
    private static readonly Gen<string?[]> Fields = Field.Array[0, 6];

    [Fact]
    public void TheSameFieldsAlwaysGiveTheSameFingerprint() =>
        Fields.Sample(fields => RequestFingerprint.Of(fields) == RequestFingerprint.Of([.. fields]), iter: 2_000);

    [Fact]
    public void DifferentFieldsGiveDifferentFingerprints() =>
        Gen.Select(Fields, Fields).Where(p => !p.Item1.SequenceEqual(p.Item2))
            .Sample(p => RequestFingerprint.Of(p.Item1) != RequestFingerprint.Of(p.Item2), iter: 2_000);

    [Fact]
    public void MovingABoundaryBetweenFieldsChangesTheFingerprint() =>
        Gen.Select(Gen.String[1, 40], Gen.Int[0, 40]).Sample(p =>
        {
            var (text, at) = p;
            var cut = Math.Min(at, text.Length);
            var moved = cut == text.Length ? 0 : cut + 1;
            return cut == moved
                || RequestFingerprint.Of(text[..cut], text[cut..]) != RequestFingerprint.Of(text[..moved], text[moved..]);
        }, iter: 2_000);

    [Fact]
    public void NullAndEmptyAreDifferentFields()
    {
        Assert.NotEqual(RequestFingerprint.Of(null), RequestFingerprint.Of(""));
        Assert.NotEqual(RequestFingerprint.Of("a", null), RequestFingerprint.Of("a"));
    }
}
