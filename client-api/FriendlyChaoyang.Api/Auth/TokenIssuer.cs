using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>Signs tokens with the same key and parameters the bearer handler validates.</summary>
public sealed class TokenIssuer(AuthOptions options, SecurityKey key, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <param name="subdistrict">The subdistrict an operator serves.</param>
    /// <param name="station">The station a manager runs.</param>
    public (string Token, DateTimeOffset ExpiresAt) Issue(string subject, string role, string? subdistrict, string? station = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.TokenLifetime;
        var claims = new Dictionary<string, object>
        {
            [Claims.Subject] = subject,
            [Claims.Role] = role,
        };
        if (subdistrict is not null)
        {
            claims[Claims.Subdistrict] = subdistrict;
        }
        if (station is not null)
        {
            claims[Claims.Station] = station;
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
