using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Bench;

/// <summary>
/// The "registrations" workload: every rider registers for one popular activity (30 seats) and cancels again, so the
/// activity grain decides a stream of registrations, waitlist places, cancellations and seat offers. FriendlyChaoyang
/// only: the baseline has no activities.
/// </summary>
public static class ActivityLoad
{
    public const string Workload = "registrations";
    public const int Seats = 30;

    /// <summary>Publishes the activity as the operator of the station's subdistrict; returns its id.</summary>
    public static async Task<string> PublishAsync(HttpClient http, string api, string stationId)
    {
        var subdistrict = SeedData.Stations.Single(s => s.Id == stationId).SubdistrictId;
        using var token = await http.PostAsJsonAsync($"{api}/api/v1/dev/tokens", new { subject = $"bench-op-{subdistrict}", role = "operator", subdistrict });
        token.EnsureSuccessStatusCode();
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{api}/api/v1/stations/{stationId}/activities")
        {
            Content = JsonContent.Create(new { title = "Bench safety talk", kind = "safety_talk", startsAt, endsAt = startsAt.AddHours(1), capacity = Seats, points = 1 }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        using var created = await http.SendAsync(request);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>One op: register (a seat or a waitlist place), then cancel (which may offer the seat to the next rider).</summary>
    public static async Task<HttpStatusCode> RegisterAndCancelAsync(HttpClient http, string baseUrl, string token, string activityId)
    {
        var registered = await Requests.SendAsync(http, HttpMethod.Post, $"{baseUrl}/api/v1/activities/{activityId}/registrations", token);
        if (registered != HttpStatusCode.Created)
        {
            return registered;
        }
        var cancelled = await Requests.SendAsync(http, HttpMethod.Delete, $"{baseUrl}/api/v1/activities/{activityId}/registrations/me", token);
        return cancelled == HttpStatusCode.NoContent ? HttpStatusCode.OK : cancelled;
    }

    /// <summary>After a run every rider has cancelled: nobody may be left registered or waiting.</summary>
    public static async Task<string> CheckAsync(HttpClient http, string baseUrl, string stationId, string activityId)
    {
        var calendar = await http.GetFromJsonAsync<JsonElement[]>($"{baseUrl}/api/v1/activities?stationId={stationId}&pageSize=100");
        var activity = calendar!.Single(a => a.GetProperty("id").GetString() == activityId);
        return $"registered {activity.GetProperty("registered").GetInt32()}, waitlisted {activity.GetProperty("waitlisted").GetInt32()}";
    }
}
