using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

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

    /// <summary>The 400 for a malformed key, or null when the header is absent or well formed.</summary>
    public static ValidationProblem? Problem(string? key) => key is null || IsValid(key)
        ? null
        : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Header] = ["1-128 printable ASCII characters."] });

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
