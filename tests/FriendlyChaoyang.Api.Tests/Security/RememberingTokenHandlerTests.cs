using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Hosting;
using FriendlyChaoyang.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FriendlyChaoyang.Api.Tests.Security;

/// <summary>
/// The bearer scheme remembers valid tokens (a rider sends the same one with every request); these pin down that a
/// remembered result never vouches for anything the full validation would refuse.
/// </summary>
public sealed class RememberingTokenHandlerTests : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _app = ApiApp.Build(["--environment=Development"], builder => builder.Configuration
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orleans"] = "Host=127.0.0.1;Port=1;Database=unused",
            ["Auth:SigningKey"] = ApiFixture.SigningKey,
        }));

    private JwtBearerOptions Bearer => _app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

    private string RiderToken() => _app.Services.GetRequiredService<TokenIssuer>().Issue($"rider-{Guid.NewGuid():N}", Roles.Rider, null).Token;

    [Fact]
    public async Task TheBearerSchemeValidatesATokenOnceAndAnswersItsRepeatsFromMemory()
    {
        var handler = Assert.IsType<RememberingTokenHandler>(Assert.Single(Bearer.TokenHandlers));
        var token = RiderToken();

        var first = await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters);
        var again = await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters);

        Assert.True(first.IsValid);
        Assert.Same(first, again);
        Assert.Equal("sub", first.ClaimsIdentity.NameClaimType);
        Assert.Contains(first.ClaimsIdentity.Claims, c => c.Type == "role" && c.Value == Roles.Rider); // claims not renamed
    }

    [Fact]
    public async Task ATokenChangedInAnyByteIsValidatedInFullEvenWhileTheOriginalIsRemembered()
    {
        var handler = Assert.IsType<RememberingTokenHandler>(Assert.Single(Bearer.TokenHandlers));
        var token = RiderToken();
        Assert.True((await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters)).IsValid);

        var forged = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        Assert.False((await handler.ValidateTokenAsync(forged, Bearer.TokenValidationParameters)).IsValid);
    }

    [Fact]
    public async Task ARememberedTokenIsValidatedInFullOnceItsExpiryHasPassed()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var handler = new RememberingTokenHandler(clock) { MapInboundClaims = false };
        var token = RiderToken();
        var first = await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters);
        Assert.Same(first, await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters));

        clock.Now = first.SecurityToken.ValidTo + TimeSpan.FromSeconds(1);

        // Not the remembered answer: a fresh validation (by the real clock this token is still valid, so it passes).
        Assert.NotSame(first, await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters));
    }

    [Fact]
    public async Task ARefusedTokenIsNeverRemembered()
    {
        var handler = Assert.IsType<RememberingTokenHandler>(Assert.Single(Bearer.TokenHandlers));
        var otherKey = new TokenValidationParameters
        {
            ValidIssuer = Bearer.TokenValidationParameters.ValidIssuer,
            ValidAudience = Bearer.TokenValidationParameters.ValidAudience,
            IssuerSigningKey = new SymmetricSecurityKey(new byte[32]),
        };
        var token = RiderToken();

        Assert.False((await handler.ValidateTokenAsync(token, otherKey)).IsValid);

        // Refused under another key, so nothing was kept: the scheme's own parameters validate it in full and accept it.
        var accepted = await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters);
        Assert.True(accepted.IsValid);
        Assert.Same(accepted, await handler.ValidateTokenAsync(token, Bearer.TokenValidationParameters));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
