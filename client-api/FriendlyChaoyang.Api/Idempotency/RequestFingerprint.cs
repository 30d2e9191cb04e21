using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FriendlyChaoyang.Api.Idempotency;

/// <summary>
/// A digest of what a create request asked for. The created grain stores it beside the Idempotency-Key's result, so a
/// replay of the key with another request is refused (422, as the IETF Idempotency-Key draft says) instead of being
/// answered silently with the first result.
/// </summary>
public static class RequestFingerprint
{
    /// <summary>
    /// SHA-256 (hex) over the fields in order. Each field is length-prefixed, so ("ab", "c") and ("a", "bc") differ,
    /// and null differs from "".
    /// </summary>
    public static string Of(params ReadOnlySpan<string?> fields)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            var bytes = field is null ? [] : Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, field is null ? -1 : bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
