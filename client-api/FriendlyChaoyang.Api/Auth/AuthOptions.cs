namespace FriendlyChaoyang.Api.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HMAC-SHA256 key that signs and validates tokens; at least 32 bytes. Production sets it from a secret.</summary>
    public string SigningKey { get; set; } = "";

    public string Issuer { get; set; } = "friendly-chaoyang";

    public string Audience { get; set; } = "friendly-chaoyang-app";

    /// <summary>Exposes POST /api/v1/dev/tokens. Local runs and tests only: the API refuses to start with it in Production.</summary>
    public bool DevTokens { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long an API instance trusts its copy of the partner api keys: a revoked key stops working within this.</summary>
    public TimeSpan ApiKeyCacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}

public static class Roles
{
    public const string Rider = "rider";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>A station manager (双站长), acting only on the station named by its <see cref="Claims.Station"/> claim.</summary>
    public const string Manager = "manager";

    /// <summary>A partner platform. Only an api key carries it (see <see cref="ApiKeyAuthentication"/>); no token is issued for it.</summary>
    public const string Partner = "partner";
}

public static class Claims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Subdistrict = "subdistrict";

    /// <summary>The station a manager runs.</summary>
    public const string Station = "station";

    /// <summary>The partner platform an api key belongs to (e.g. "meituan").</summary>
    public const string Platform = "platform";
}

public static class Policies
{
    public const string Rider = "rider";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>A partner platform's routes: a valid, unrevoked api key in the X-Api-Key header.</summary>
    public const string Partner = "partner";
}
