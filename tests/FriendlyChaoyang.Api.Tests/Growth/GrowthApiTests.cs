using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Activities;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Api.Tests.Growth;

/// <summary>The rider's growth record over REST: its own record only, and activities attended counted from real attendance.</summary>
[Collection(ApiCollection.Name)]
public sealed class GrowthApiTests(ApiFixture fixture)
{
    private const string Station = "cy-jianwai-003";

    [Fact]
    public async Task ANewRiderHasAnEmptyGrowthRecord()
    {
        using var rider = await fixture.RiderAsync();

        var growth = await rider.GrowthAsync();

        Assert.Empty(growth.GetProperty("courses").EnumerateArray());
        Assert.Equal((0, 0, 0), (growth.GetProperty("activitiesAttended").GetInt32(), growth.GetProperty("commendations").GetInt32(),
            growth.GetProperty("goodDeeds").GetInt32()));
    }

    [Fact]
    public async Task ScanningARidersTicketCountsTheActivityInTheirGrowthOnce()
    {
        using var rider = await fixture.RiderAsync();
        using var op = await fixture.OperatorAsync("jianwai");
        var activity = (await fixture.PublishAsync(Station, ActivitiesApiTests.Activity())).Id();
        var ticket = (await (await rider.PostAsync($"/api/v1/activities/{activity}/registrations", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("ticket").GetString();

        for (var scan = 0; scan < 3; scan++)
        {
            (await op.PostAsJsonAsync($"/api/v1/activities/{activity}/attendance", new { ticket })).EnsureSuccessStatusCode();
        }

        var growth = await Eventually.ReadAsync(rider.GrowthAsync, g => g.GetProperty("activitiesAttended").GetInt32() >= 1);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second count would come with a reminder tick
        Assert.Equal(1, growth.GetProperty("activitiesAttended").GetInt32());
        Assert.Equal(1, (await rider.GrowthAsync()).GetProperty("activitiesAttended").GetInt32());
    }
}
