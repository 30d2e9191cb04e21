using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using FriendlyChaoyang.Api.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace FriendlyChaoyang.Api.Security;

/// <summary>
/// ASP.NET Core's rate limiter, applied by convention to every request so routes added later are covered without
/// opting in: writes per token subject, reads per token subject, partner calls per api key, everything else per client
/// address. Two routes add a stricter policy of their own: <see cref="DevTokens"/> and <see cref="VoucherConfirms"/>.
/// A refused request is a 429 ProblemDetails with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string DevTokens = "dev-tokens";

    /// <summary>
    /// Voucher codes are 12 characters of a 32-letter alphabet: 60 bits (random, or a hash of the rider and a client's
    /// Idempotency-Key, which then must itself be random, as the IETF draft asks). With this limit (default 20 a minute
    /// per operator) an operator account guessing day and night for a year tries ~10^7 codes; with a million vouchers
    /// held at once each guess hits with probability 10^6 / 2^60 ~ 10^-12, so ~10^-5 a year: once attempts are capped,
    /// more entropy buys nothing. The cap also removes the cost of a guess flood: every wrong code is a grain activation
    /// and a database read.
    /// </summary>
    public const string VoucherConfirms = "voucher-confirms";

    public static IHostApplicationBuilder AddFriendlyChaoyangRateLimits(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        limits.Validate();
        builder.Services.AddSingleton(limits);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => RejectAsync(context);
            if (!limits.Enabled)
            {
                options.AddPolicy(DevTokens, _ => RateLimitPartition.GetNoLimiter(""));
                options.AddPolicy(VoucherConfirms, _ => RateLimitPartition.GetNoLimiter(""));
                return;
            }
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Conventional(http, limits));
            options.AddPolicy(DevTokens, http => Partition(http, "dev tokens per client address", $"tokens:{ClientAddress(http)}", limits.DevTokens));
            options.AddPolicy(VoucherConfirms, http => Partition(
                http, "voucher confirmations per operator", $"vouchers:{http.User.Subject() ?? ClientAddress(http)}", limits.VoucherConfirms));
        });
        return builder;
    }

    /// <summary>
    /// The address a client-address limit counts against. IPv6 by /64: one subscriber usually holds a whole /64 and
    /// could otherwise rotate through 2^64 addresses. Behind a reverse proxy this is the proxy unless the forwarded
    /// headers middleware is set up with the proxy's address.
    /// </summary>
    public static string ClientAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    private static RateLimitPartition<string> Conventional(HttpContext http, RateLimitOptions limits)
    {
        if (IsExempt(http.Request.Path))
        {
            return RateLimitPartition.GetNoLimiter("exempt");
        }
        if (http.User.Subject() is { } subject)
        {
            return HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
                ? Partition(http, "reads per user", $"reads:{subject}", limits.Reads)
                : Partition(http, "writes per user", $"writes:{subject}", limits.Writes);
        }
        // Partner keys are checked against the cached registry only: an unknown key counts against its address. Open311
        // clients may send theirs as the api_key query parameter (one in a form body is not read before the endpoint).
        if (PresentedApiKey(http) is { } key
            && http.RequestServices.GetRequiredService<ApiKeyValidator>().FindCached(key) is { } partner)
        {
            return Partition(http, "requests per api key", $"partner:{partner.Id}", limits.Partner);
        }
        return Partition(http, "requests without a token per client address", $"anonymous:{ClientAddress(http)}", limits.Anonymous);
    }

    private static string? PresentedApiKey(HttpContext http) =>
        http.Request.Headers[ApiKeyValidator.Header] is [{ } header] ? header : http.Request.Query["api_key"] is [{ } query] ? query : null;

    /// <summary>Load balancers' health probes (a 429 would take the instance out of rotation) and the admin-only tooling.</summary>
    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz")
        || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/dashboard");

    private static RateLimitPartition<string> Partition(HttpContext http, string what, string key, WindowLimit limit)
    {
        // Remembered for the 429's explanation; the limiter itself only sees the key.
        http.Features.Set(new AppliedLimit(what, limit));
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = limit.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var detail = http.Features.Get<AppliedLimit>() is { } applied
            ? $"At most {applied.Limit.PermitLimit} {applied.What} in {Describe(applied.Limit.Window)}."
            : "Too many requests.";
        await SecurityProblems.TooManyRequests(http, detail, retryAfter).ExecuteAsync(http);
    }

    private static string Describe(TimeSpan window) => window.TotalSeconds switch
    {
        60 => "a minute",
        var s when s % 60 == 0 => $"{(s / 60).ToString(CultureInfo.InvariantCulture)} minutes",
        var s => $"{s.ToString(CultureInfo.InvariantCulture)} s",
    };

    private sealed record AppliedLimit(string What, WindowLimit Limit);
}
