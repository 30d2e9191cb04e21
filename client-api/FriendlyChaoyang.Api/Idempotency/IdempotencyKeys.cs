using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Idempotency;

/// <summary>The Idempotency-Key header: an optional client key that makes a create safe to repeat.</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    public static bool IsValid(string key) => key.Length is >= 1 and <= 128 && key.All(c => c is >= '!' and <= '~');

    /// <summary>The 422 for a key replayed with another body (<paramref name="created"/>: "opened another poll").</summary>
    public static ProblemHttpResult ReusedWithAnotherRequest(string created) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused with another request.",
        detail: $"This Idempotency-Key already {created}. Send a new key for a new request.");
}

/// <summary>
/// Turns a client's Idempotency-Key into the id of what it creates, so a repeated request reaches the same grain,
/// which answers with its first result. Without a key the id is random. Keyed by a server secret: with a plain hash,
/// anyone who knew a rider id and guessed its key (e.g. "haircut-1") could compute that rider's voucher code.
/// </summary>
public sealed class IdempotentIds(byte[] secret)
{
    // Crockford-style: no I, L, O, U, so codes read aloud or typed at a counter are not misread.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>
    /// Every API instance signs tokens with the same key, so each derives the same secret and the same ids; rotating the
    /// signing key only means a request repeated across the rotation is taken as new.
    /// </summary>
    public static IdempotentIds FromSigningKey(byte[] signingKey) => new(HMACSHA256.HashData(signingKey, "friendly-chaoyang/idempotent-ids"u8));

    /// <param name="purpose">Separates id spaces, e.g. "issue" and "redemption".</param>
    public string IdFor(string purpose, string callerId, string? key, int length)
    {
        var bytes = key is null
            ? RandomNumberGenerator.GetBytes(32)
            : HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{purpose}\n{callerId}\n{key}"));
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
