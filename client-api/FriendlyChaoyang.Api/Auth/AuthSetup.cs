using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace FriendlyChaoyang.Api.Auth;

public static class AuthSetup
{
    public static IHostApplicationBuilder AddFriendlyChaoyangAuth(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var key = SigningKey(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new TokenIssuer(options, key, TimeProvider.System));

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
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Rider, p => p.RequireRole(Roles.Rider).RequireClaim(Claims.Subject))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Operator).RequireClaim(Claims.Subdistrict))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        return builder;
    }

    public static string RiderId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Claims.Subject) ?? throw new InvalidOperationException("Authorised rider without a subject.");

    public static string? Subdistrict(this ClaimsPrincipal user) => user.FindFirstValue(Claims.Subdistrict);

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
