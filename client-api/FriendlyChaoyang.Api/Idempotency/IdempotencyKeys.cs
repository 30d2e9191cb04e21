using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace FriendlyChaoyang.Api.Idempotency;

/// <summary>
/// Turns a client's Idempotency-Key into the id of what it creates, so a repeated request reaches the same grain,
/// which answers with its first result. Without a key the id is random.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    // Crockford-style: no I, L, O, U, so codes read aloud or typed at a counter are not misread.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static bool IsValid(string key) => key.Length is >= 1 and <= 128 && key.All(c => c is >= '!' and <= '~');

    /// <param name="purpose">Separates id spaces, e.g. "issue" and "redemption".</param>
    public static string IdFor(string purpose, string riderId, string? key, int length)
    {
        var bytes = key is null
            ? RandomNumberGenerator.GetBytes(32)
            : SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}\n{riderId}\n{key}"));
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }
        return new string(chars);
    }
}

/// <summary>An optional Idempotency-Key header: absent, or 1-128 printable ASCII characters.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class IdempotencyKeyAttribute() : ValidationAttribute("1-128 printable ASCII characters.")
{
    public override bool IsValid(object? value) => value is null || (value is string key && IdempotencyKeys.IsValid(key));
}
