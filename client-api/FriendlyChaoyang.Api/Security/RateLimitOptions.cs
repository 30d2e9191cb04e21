namespace FriendlyChaoyang.Api.Security;

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/> (fixed windows); <see cref="QueueLimit"/> more wait for the next one.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public int QueueLimit { get; set; }
}

/// <summary>Configuration section "RateLimits". Defaults are sized for a rider's phone at the lunch peak.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off only for load and fault-injection runs that drive many riders from one address.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// POST, PUT, PATCH and DELETE per token subject: check-ins and check-outs, reports, transitions, redemptions,
    /// confirmations, profile updates and every write later features add. A rider needs a few a minute.
    /// </summary>
    public WindowLimit Writes { get; set; } = new() { PermitLimit = 60 };

    /// <summary>GETs per token subject (an app refreshing nearby stations every few seconds stays far below).</summary>
    public WindowLimit Reads { get; set; } = new() { PermitLimit = 600 };

    /// <summary>
    /// Requests without a token, per client address (an IPv6 /64). Generous: many riders share one address behind a
    /// mobile carrier's NAT.
    /// </summary>
    public WindowLimit Anonymous { get; set; } = new() { PermitLimit = 300 };

    /// <summary>POST /api/v1/dev/tokens per client address (only where dev tokens are on).</summary>
    public WindowLimit DevTokens { get; set; } = new() { PermitLimit = 10 };

    /// <summary>Requests per partner api key (X-Api-Key): port feeds and Open311 clients.</summary>
    public WindowLimit Partner { get; set; } = new() { PermitLimit = 1200 };

    /// <summary>POST /api/v1/redemptions/{code}/confirm per operator: caps guessing voucher codes (see <see cref="RateLimits.VoucherConfirms"/>).</summary>
    public WindowLimit VoucherConfirms { get; set; } = new() { PermitLimit = 20 };

    /// <summary>Open notification streams (Server-Sent Events) per token subject: a phone and a tablet, and one reconnecting.</summary>
    public int StreamsPerUser { get; set; } = 3;

    /// <summary>Open notification streams per API instance; each one polls its grain every few seconds.</summary>
    public int StreamsTotal { get; set; } = 5000;

    /// <summary>Refuses a configuration the limiters would only reject on the first request.</summary>
    public void Validate()
    {
        foreach (var (name, limit) in new[]
        {
            (nameof(Writes), Writes), (nameof(Reads), Reads), (nameof(Anonymous), Anonymous),
            (nameof(DevTokens), DevTokens), (nameof(Partner), Partner), (nameof(VoucherConfirms), VoucherConfirms),
        })
        {
            if (limit.PermitLimit < 1 || limit.Window <= TimeSpan.Zero || limit.QueueLimit < 0)
            {
                throw new InvalidOperationException(
                    $"{Section}:{name} needs PermitLimit >= 1, a positive Window and QueueLimit >= 0 (got {limit.PermitLimit}, {limit.Window}, {limit.QueueLimit}).");
            }
        }
        if (StreamsPerUser < 1 || StreamsTotal < 1)
        {
            throw new InvalidOperationException($"{Section}:StreamsPerUser and {Section}:StreamsTotal must be at least 1.");
        }
    }
}
