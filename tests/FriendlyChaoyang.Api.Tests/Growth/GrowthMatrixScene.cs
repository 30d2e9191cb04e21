using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Courses;

namespace FriendlyChaoyang.Api.Tests.Growth;

/// <summary>
/// What the authorization matrix needs for courses, wishes and commendations: a course published by the operator's
/// subdistrict with the own rider enrolled, a wish the own rider posted there, and a commendation that subdistrict recorded.
/// </summary>
public sealed record GrowthMatrixScene(string OwnRiderId, string CourseId, string WishId, string CommendationId)
{
    public static async Task<GrowthMatrixScene> CreateAsync(ApiFixture api, HttpClient ownRider, string ownRiderId, string subdistrict)
    {
        using var op = await api.OperatorAsync(subdistrict);
        var course = await CreatedAsync(await op.PostAsJsonAsync("/api/v1/courses", CoursesApiTests.Course()));
        (await ownRider.PostAsync($"/api/v1/courses/{course}/enrolments", null)).EnsureSuccessStatusCode();
        var wish = await CreatedAsync(await ownRider.PostAsJsonAsync("/api/v1/wishes", new { text = "Matrix", kind = "other", subdistrictId = subdistrict }));
        var commendation = await CreatedAsync(await op.PostAsJsonAsync($"/api/v1/riders/{ownRiderId}/commendations", new { kind = "banner", text = "Matrix" }));
        return new GrowthMatrixScene(ownRiderId, course, wish, commendation);
    }

    private static async Task<string> CreatedAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }
}
