using System.Security.Claims;
using System.Text;
using FriendlyChaoyang.Api.Idempotency;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace FriendlyChaoyang.Api.Auth;

public static class AuthSetup
{
    public static IHostApplicationBuilder AddFriendlyChaoyangAuth(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (options.DevTokens && builder.Environment.IsProduction())
        {
            // Dev tokens mint any identity, admin included, for anyone who asks.
            throw new InvalidOperationException(
                "Auth:DevTokens is on in the Production environment. Turn it off (Auth__DevTokens=false) or, on a developer machine, " +
                "set ASPNETCORE_ENVIRONMENT=Development.");
        }
        var key = SigningKey(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new TokenIssuer(options, key, TimeProvider.System));
        builder.Services.AddSingleton(IdempotentIds.FromSigningKey(key.Key));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyValidator>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    IssuerSigningKey = key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = Claims.Subject,
                    RoleClaimType = Claims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, configureOptions: null);
        builder.Services.AddSingleton<RememberingTokenHandler>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<RememberingTokenHandler>((jwt, handler) =>
        {
            handler.MapInboundClaims = jwt.MapInboundClaims;
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(handler);
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Rider, p => p.RequireRole(Roles.Rider).RequireClaim(Claims.Subject))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Operator).RequireClaim(Claims.Subdistrict))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Partner, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireRole(Roles.Partner));
        return builder;
    }

    public static string RiderId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Claims.Subject) ?? throw new InvalidOperationException("Authorised rider without a subject.");

    /// <summary>The token subject (rider, operator or admin id), or null when the caller is anonymous.</summary>
    public static string? Subject(this ClaimsPrincipal user) => user.FindFirstValue(Claims.Subject);

    public static string? Subdistrict(this ClaimsPrincipal user) => user.FindFirstValue(Claims.Subdistrict);

    public static string? Station(this ClaimsPrincipal user) => user.FindFirstValue(Claims.Station);

    private static SymmetricSecurityKey SigningKey(AuthOptions options)
    {
        var bytes = Encoding.UTF8.GetBytes(options.SigningKey);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException(
                "Auth:SigningKey must be set to at least 32 bytes (environment variable Auth__SigningKey).");
        }
        return new SymmetricSecurityKey(bytes);
    }
}
