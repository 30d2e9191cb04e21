namespace FriendlyChaoyang.Api.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HMAC-SHA256 key that signs and validates tokens; at least 32 bytes. Production sets it from a secret.</summary>
    public string SigningKey { get; set; } = "";

    public string Issuer { get; set; } = "friendly-chaoyang";

    public string Audience { get; set; } = "friendly-chaoyang-app";

    /// <summary>Exposes POST /api/v1/dev/tokens. Local runs and tests only; production leaves it off.</summary>
    public bool DevTokens { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);
}

public static class Roles
{
    public const string Rider = "rider";
    public const string Operator = "operator";
    public const string Admin = "admin";
}

public static class Claims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Subdistrict = "subdistrict";
}

public static class Policies
{
    public const string Rider = "rider";
    public const string Operator = "operator";
    public const string Admin = "admin";
}
