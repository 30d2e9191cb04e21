using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Activities;

public static class ActivitySteps
{
    /// <summary>Publishes an activity as the station's operator and returns it.</summary>
    public static async Task<JsonElement> PublishAsync(this ApiFixture fixture, string stationId, object activity)
    {
        using var op = await fixture.OperatorAsync(stationId.Split('-')[1]);
        var response = await op.PostAsJsonAsync($"/api/v1/stations/{stationId}/activities", activity);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
