using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>
/// The bearer scheme's token handler: validates a token in full once, then remembers the valid result until the token
/// expires. A rider's app sends the same token with every request, and parsing it and checking its signature each time
/// was a tenth of the API's CPU under load (docs/benchmarks.md, ninth look). Keyed by the whole token, so a token that
/// differs in any byte is validated in full; only valid results are kept, never past the token's expiry, and at most
/// <see cref="MaxRemembered"/> of them (the least recently used go first). One instance serves the one bearer scheme,
/// whose validation parameters never change while the API runs.
/// </summary>
public sealed class RememberingTokenHandler(TimeProvider clock) : JsonWebTokenHandler, IDisposable
{
    /// <summary>Enough for every rider active within a few minutes of a lunch peak; a few KB each.</summary>
    public const int MaxRemembered = 10_000;

    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = MaxRemembered });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out TokenValidationResult? remembered) && IsUnexpired(remembered!))
        {
            return remembered!;
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && IsUnexpired(result))
        {
            _valid.Set(token, result, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = result.SecurityToken.ValidTo });
        }
        return result;
    }

    public void Dispose() => _valid.Dispose();

    private bool IsUnexpired(TokenValidationResult result) => result.SecurityToken.ValidTo > clock.GetUtcNow().UtcDateTime;
}
