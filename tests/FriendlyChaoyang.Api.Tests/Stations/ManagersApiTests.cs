using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Activities;

namespace FriendlyChaoyang.Api.Tests.Stations;

/// <summary>Appointing a station's managers (双站长), and what a manager token may do with and without an appointment.</summary>
[Collection(ApiCollection.Name)]
public sealed class ManagersApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task TheSubdistrictsOperatorAppointsBothManagersAndTheStationShowsTheirNamesButNotTheirSubjects()
    {
        const string station = "cy-jianwai-011";
        using var jianwai = await fixture.OperatorAsync("jianwai");

        var put = await jianwai.PutAsJsonAsync($"/api/v1/stations/{station}/managers", new
        {
            community = new { subject = "mgr-li", name = "李社区" },
            company = new { subject = "mgr-wang", name = "王站长", platform = "meituan" },
        });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var managers = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("mgr-wang", managers.GetProperty("company").GetProperty("subject").GetString());
        var shown = (await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{station}")).GetProperty("managers");
        Assert.Equal("李社区", shown.GetProperty("community").GetProperty("name").GetString());
        Assert.Equal("meituan", shown.GetProperty("company").GetProperty("platform").GetString());
        Assert.DoesNotContain("mgr-", shown.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheStationsOperatorOrAnAdminAppointsAndARefusalChangesNothing()
    {
        const string station = "cy-jianwai-012";
        var body = new { community = new { subject = "mgr-zhao", name = "赵" } };
        using var chaowai = await fixture.OperatorAsync("chaowai");
        using var rider = await fixture.RiderAsync();
        using var admin = await fixture.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");

        await ProblemAssert.IsProblemAsync(await chaowai.PutAsJsonAsync($"/api/v1/stations/{station}/managers", body), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PutAsJsonAsync($"/api/v1/stations/{station}/managers", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous().PutAsJsonAsync($"/api/v1/stations/{station}/managers", body)).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ManagersAsync(station)).GetProperty("community").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/stations/{station}/managers", body)).StatusCode);
        Assert.Equal("赵", (await ManagersAsync(station)).GetProperty("community").GetProperty("name").GetString());
        await ProblemAssert.IsProblemAsync(await admin.PutAsJsonAsync("/api/v1/stations/cy-nowhere-999/managers", body), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"community":{"name":"Li"}}""", "community.subject")]
    [InlineData("""{"community":{"subject":"mgr li","name":"Li"}}""", "community.subject")]
    [InlineData("""{"company":{"subject":"mgr-li","name":""}}""", "company.name")]
    [InlineData("""{"company":{"subject":"mgr-li","name":"Li","platform":"meituan\u202e"}}""", "company.platform")]
    [InlineData("""{"community":{"subject":"mgr-li","name":"Li"},"company":{"subject":"mgr-li","name":"Li"}}""", "company.subject")]
    public async Task ABadAppointmentIsA400NamingTheFieldAndChangesNothing(string json, string field)
    {
        const string station = "cy-jianwai-013";
        using var jianwai = await fixture.OperatorAsync("jianwai");

        var response = await jianwai.PutAsync($"/api/v1/stations/{station}/managers", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblemAsync(response, field);
        Assert.Equal(JsonValueKind.Null, (await ManagersAsync(station)).GetProperty("company").ValueKind);
    }

    [Fact]
    public async Task AManagerActsOnlyOnTheirOwnStationAndOnlyWhileAppointed()
    {
        const string own = "cy-jianwai-014", other = "cy-jianwai-015";
        using var jianwai = await fixture.OperatorAsync("jianwai");
        using var manager = await fixture.ManagerAsync(own);
        using var unappointed = await fixture.ManagerAsync(other);
        var activity = ActivitiesApiTests.Activity();

        await ProblemAssert.IsProblemAsync(await manager.PostAsJsonAsync($"/api/v1/stations/{own}/activities", activity), HttpStatusCode.Forbidden);
        await fixture.AppointAsync(own);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsJsonAsync($"/api/v1/stations/{own}/activities", activity)).StatusCode);
        await ProblemAssert.IsProblemAsync(await manager.PostAsJsonAsync($"/api/v1/stations/{other}/activities", activity), HttpStatusCode.Forbidden);
        // A token naming a station is not an appointment.
        await ProblemAssert.IsProblemAsync(await unappointed.PostAsJsonAsync($"/api/v1/stations/{other}/activities", activity), HttpStatusCode.Forbidden);

        await jianwai.PutAsJsonAsync($"/api/v1/stations/{own}/managers", new { community = new { subject = "mgr-successor", name = "New" } });
        await ProblemAssert.IsProblemAsync(await manager.PostAsJsonAsync($"/api/v1/stations/{own}/activities", activity), HttpStatusCode.Forbidden);
    }

    private async Task<JsonElement> ManagersAsync(string station) =>
        (await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{station}")).GetProperty("managers");
}
