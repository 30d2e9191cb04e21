using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>
/// Authenticates a partner platform by the api key in <see cref="ApiKeyValidator.Header"/>. Only routes that require
/// <see cref="Policies.Partner"/> run it; bearer tokens stay the default everywhere else.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyValidator keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyValidator.Header, out var presented))
        {
            return AuthenticateResult.NoResult();
        }
        if (presented is not [{ } key] || await keys.ValidateAsync(key, Context.RequestAborted) is not { } apiKey)
        {
            return AuthenticateResult.Fail("Unknown or revoked api key.");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(Claims.Subject, apiKey.Id),
                new Claim(Claims.Role, Roles.Partner),
                new Claim(Claims.Platform, apiKey.Platform),
            ],
            SchemeName, Claims.Subject, Claims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{ApiKeyValidator.Header}\"";
        return Task.CompletedTask;
    }
}
