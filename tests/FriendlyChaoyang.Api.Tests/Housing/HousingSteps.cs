using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FriendlyChaoyang.Api.Tests.Housing;

public static class HousingSteps
{
    /// <summary>The centre of 建外街道 (jianwai): apartments near it are jianwai's operators' to list.</summary>
    public const double JianwaiLat = 39.9066;
    public const double JianwaiLon = 116.4494;

    /// <summary>A valid listing in jianwai, within about 200 m of its centre (each call somewhere else).</summary>
    public static JsonObject Apartment(int beds = 1, int rent = 700, double? lat = null, double? lon = null) => new()
    {
        ["name"] = "怡舍公寓",
        ["lat"] = lat ?? JianwaiLat + ((Random.Shared.NextDouble() - 0.5) * 0.004),
        ["lon"] = lon ?? JianwaiLon + ((Random.Shared.NextDouble() - 0.5) * 0.004),
        ["rentMonthly"] = rent,
        ["beds"] = beds,
        ["amenities"] = new JsonArray("wifi", "laundry"),
    };

    /// <summary>Lists an apartment as the operator of the subdistrict it lies in (default: jianwai) and returns its id.</summary>
    public static async Task<string> ListApartmentAsync(this ApiFixture fixture, JsonObject? apartment = null, string subdistrictId = "jianwai")
    {
        using var op = await fixture.OperatorAsync(subdistrictId);
        var response = await op.PostAsJsonAsync("/api/v1/housing/apartments", apartment ?? Apartment());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> ApplyAsync(this HttpClient rider, string apartmentId) =>
        rider.PostAsJsonAsync("/api/v1/housing/applications", new { apartmentId });

    public static async Task<JsonElement> MyHousingAsync(this HttpClient rider) =>
        await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/housing");
}
