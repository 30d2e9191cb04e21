using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Activities;

public static class ActivitySteps
{
    /// <summary>Makes <see cref="ApiFixture.ManagerAsync"/>'s subject the station's community manager, as its subdistrict's operator.</summary>
    public static async Task AppointAsync(this ApiFixture fixture, string stationId)
    {
        var subdistrict = stationId.Split('-')[1];
        using var op = await fixture.OperatorAsync(subdistrict);
        var response = await op.PutAsJsonAsync($"/api/v1/stations/{stationId}/managers",
            new { community = new { subject = $"mgr-{stationId}", name = "Manager" } });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Publishes an activity as the station's operator and returns it.</summary>
    public static async Task<JsonElement> PublishAsync(this ApiFixture fixture, string stationId, object activity)
    {
        using var op = await fixture.OperatorAsync(stationId.Split('-')[1]);
        var response = await op.PostAsJsonAsync($"/api/v1/stations/{stationId}/activities", activity);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
