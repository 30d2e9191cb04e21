using FriendlyChaoyang.Api.Auth;

namespace FriendlyChaoyang.Api.Security;

/// <summary>Authentication, authorization, rate limits, stream caps, id checks and security headers, wired in one place.</summary>
public static class SecuritySetup
{
    public static IHostApplicationBuilder AddFriendlyChaoyangSecurity(this IHostApplicationBuilder builder)
    {
        builder.AddFriendlyChaoyangAuth();
        builder.AddFriendlyChaoyangRateLimits();
        builder.Services.AddSingleton<StreamLimits>();
        return builder;
    }

    /// <summary>
    /// After the exception handler (its responses get the headers too). Rate limits sit between authentication (they
    /// count per user) and authorization (so a flood of unauthorised requests is limited as well).
    /// </summary>
    public static IApplicationBuilder UseFriendlyChaoyangSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<AuthOptions>().DevTokens)
        {
            app.Logger.LogWarning("Auth:DevTokens is on: anyone who reaches POST /api/v1/dev/tokens can mint any identity, admin included.");
        }
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRouteIdValidation();
        return app;
    }
}
