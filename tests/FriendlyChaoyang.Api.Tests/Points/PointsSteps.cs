using System.Net.Http.Json;
using FriendlyChaoyang.Points;

namespace FriendlyChaoyang.Api.Tests.Points;

/// <summary>What the points tests do again and again: give a rider points, redeem a reward.</summary>
public static class PointsSteps
{
    /// <summary>A client for a new rider credited with <paramref name="points"/> directly in the cluster, as a resolved report would.</summary>
    public static async Task<HttpClient> RiderWithPointsAsync(this ApiFixture fixture, int points)
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        await fixture.Cluster.Client.GetGrain<IPointsLedgerGrain>(riderId)
            .CreditAsync(new LedgerCredit($"test:{Guid.NewGuid():N}", points, "test_grant", "test"));
        return await fixture.RiderAsync(riderId);
    }

    /// <summary>POST /api/v1/redemptions with the body and, when given, an Idempotency-Key.</summary>
    public static async Task<HttpResponseMessage> RedeemAsync(this HttpClient rider, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/redemptions") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await rider.SendAsync(request);
    }
}
