using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Growth;

/// <summary>What the courses, wishes and commendations tests do again and again.</summary>
public static class GrowthSteps
{
    /// <summary>POSTs the body as JSON with an Idempotency-Key header when one is given.</summary>
    public static async Task<HttpResponseMessage> PostWithKeyAsync(this HttpClient client, string url, object body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    /// <summary>Rows of a grain type in the grain-state table: a refusal must add none.</summary>
    public static Task<long> StoredAsync(this ApiFixture fixture, string grainType) =>
        fixture.Cluster.Database.ScalarAsync<long>($"SELECT count(*) FROM orleansstorage WHERE graintypestring = '{grainType}'");

    public static async Task<JsonElement> GrowthAsync(this HttpClient rider) => await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/growth");

    public static async Task<int> BalanceAsync(this HttpClient rider) =>
        (await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points")).GetProperty("balance").GetInt32();

    public static string Id(this JsonElement created) => created.GetProperty("id").GetString()!;
}
