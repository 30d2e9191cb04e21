using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Api.Tests.Stations;

[Collection(ApiCollection.Name)]
public sealed class StationsApiTests(ApiFixture api)
{
    [Fact]
    public async Task NearbyAnswersNearestFirstInTheContractShape()
    {
        var stations = await api.Anonymous().GetFromJsonAsync<JsonElement>("/api/v1/stations/nearby?lat=39.9087&lon=116.4605&limit=5");

        var items = stations.EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        var distances = items.Select(s => s.GetProperty("distanceM").GetDouble()).ToList();
        Assert.Equal(distances.Order(), distances);
        foreach (var field in new[] { "id", "name", "subdistrictId", "lat", "lon", "distanceM", "open24h", "seats", "charging", "swap" })
        {
            Assert.True(items[0].TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.True(items[0].GetProperty("seats").TryGetProperty("free", out _));
    }

    [Theory]
    [InlineData("lat=91&lon=116.4", "lat")]
    [InlineData("lat=39.9", "lon")]
    [InlineData("lat=39.9&lon=116.4&radius=20001", "radius")]
    [InlineData("lat=39.9&lon=116.4&radius=-5", "radius")]
    [InlineData("lat=39.9&lon=116.4&limit=0", "limit")]
    [InlineData("lat=39.9&lon=116.4&limit=51", "limit")]
    [InlineData("lat=39.9&lon=116.4&need=sofa", "need")]
    [InlineData("lat=39.9&lon=116.4&within_minutes=0", "within_minutes")]
    public async Task NearbyRejectsOutOfRangeInputNamingTheField(string query, string field)
    {
        var response = await api.Anonymous().GetAsync($"/api/v1/stations/nearby?{query}");

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task NearbyRejectsNonNumbersWithABadRequestProblem()
    {
        await ProblemAssert.IsProblemAsync(await api.Anonymous().GetAsync("/api/v1/stations/nearby?lat=north&lon=116.4"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WithinMinutesCapsTheSearchAtAnEbikeRideOf250MetresAMinute()
    {
        var stations = await api.Anonymous().GetFromJsonAsync<JsonElement>(
            "/api/v1/stations/nearby?lat=39.9087&lon=116.4605&radius=20000&limit=50&within_minutes=4");

        Assert.NotEmpty(stations.EnumerateArray());
        Assert.All(stations.EnumerateArray(), s => Assert.True(s.GetProperty("distanceM").GetDouble() <= 1000));
    }

    [Fact]
    public async Task AStationShowsAmenitiesAndRidersPresent()
    {
        var seed = SeedData.Stations[7];

        var station = await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{seed.Id}");

        Assert.Equal(seed.Id, station.GetProperty("id").GetString());
        Assert.Equal(seed.Seats, station.GetProperty("seats").GetProperty("total").GetInt32());
        Assert.Equal(seed.Amenities.Count, station.GetProperty("amenities").GetArrayLength());
        Assert.True(station.TryGetProperty("present", out _));
        Assert.False(station.TryGetProperty("distanceM", out _));
    }

    [Fact]
    public async Task AnUnknownStationIsANotFoundProblem()
    {
        await ProblemAssert.IsProblemAsync(await api.Anonymous().GetAsync("/api/v1/stations/cy-nowhere-999"), HttpStatusCode.NotFound);
        var rider = await api.RiderAsync();
        await ProblemAssert.IsProblemAsync(await rider.PostAsync("/api/v1/stations/cy-nowhere-999/check-ins", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CheckInRepeatsIdempotentlyShowsOnTheRiderAndChecksOutOnce()
    {
        var seed = SeedData.Stations[42];
        var rider = await api.RiderAsync();

        var first = await rider.PostAsJsonAsync($"/api/v1/stations/{seed.Id}/check-ins", new { charging = true });
        var again = await rider.PostAsync($"/api/v1/stations/{seed.Id}/check-ins", null);
        var me = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me");
        var checkOut = await rider.PostAsync($"/api/v1/stations/{seed.Id}/check-out", null);
        var secondCheckOut = await rider.PostAsync($"/api/v1/stations/{seed.Id}/check-out", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var checkIn = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(seed.Id, checkIn.GetProperty("stationId").GetString());
        Assert.True(checkIn.GetProperty("charging").GetBoolean());
        Assert.Equal(checkIn.GetProperty("checkedInAt").GetDateTimeOffset(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal(seed.Id, me.GetProperty("currentStation").GetProperty("stationId").GetString());
        Assert.Equal(HttpStatusCode.OK, checkOut.StatusCode);
        var closed = await checkOut.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(closed.GetProperty("checkedOutAt").GetDateTimeOffset() >= closed.GetProperty("checkedInAt").GetDateTimeOffset());
        await ProblemAssert.IsProblemAsync(secondCheckOut, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AFullStationAnswersConflictWithUpToThreeAlternativesWithRoom()
    {
        var seed = SeedData.Stations.Where(s => s.Seats <= 8).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        var riders = await Task.WhenAll(Enumerable.Range(0, seed.Seats + 1).Select(_ => api.RiderAsync()));

        var responses = await Task.WhenAll(riders.Select(r => r.PostAsync($"/api/v1/stations/{seed.Id}/check-ins", null)));

        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Single(refused);
        var problem = await ProblemAssert.IsProblemAsync(refused[0], HttpStatusCode.Conflict);
        var alternatives = problem.GetProperty("alternatives").EnumerateArray().ToList();
        Assert.Equal(3, alternatives.Count);
        Assert.All(alternatives, a =>
        {
            Assert.NotEqual(seed.Id, a.GetProperty("id").GetString());
            Assert.True(a.GetProperty("seats").GetProperty("free").GetInt32() > 0);
            Assert.True(a.TryGetProperty("distanceM", out _));
        });
        await Task.WhenAll(riders.Select(r => r.PostAsync($"/api/v1/stations/{seed.Id}/check-out", null)));
    }

    [Fact]
    public async Task AStationThatFillsUpLeavesNearbyForASeatWithinASecondAndComesBackWhenASeatFrees()
    {
        // Nearby answers from the API's own copy of the station index: it must follow a station's room within the copy's
        // age (50 ms) and the station's immediate publish of a room change, not a republish period.
        var seed = SeedData.Stations.Where(s => s.Seats <= 8).OrderBy(s => s.Id, StringComparer.Ordinal).Skip(1).First();
        var query = string.Create(CultureInfo.InvariantCulture, $"/api/v1/stations/nearby?lat={seed.Lat}&lon={seed.Lon}&radius=20&need=seat");
        async Task<bool> ListedAsync() =>
            (await api.Anonymous().GetFromJsonAsync<JsonElement>(query)).EnumerateArray().Any(s => s.GetProperty("id").GetString() == seed.Id);
        async Task<TimeSpan?> TimeUntilAsync(bool listed)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                if (await ListedAsync() == listed)
                {
                    return clock.Elapsed;
                }
                await Task.Delay(20);
            }
            return null;
        }
        var riders = await Task.WhenAll(Enumerable.Range(0, seed.Seats).Select(_ => api.RiderAsync()));
        Assert.True(await ListedAsync());

        await Task.WhenAll(riders.Select(r => r.PostAsync($"/api/v1/stations/{seed.Id}/check-ins", null)));
        var untilGone = await TimeUntilAsync(listed: false);
        await riders[0].PostAsync($"/api/v1/stations/{seed.Id}/check-out", null);
        var untilBack = await TimeUntilAsync(listed: true);
        await Task.WhenAll(riders.Skip(1).Select(r => r.PostAsync($"/api/v1/stations/{seed.Id}/check-out", null)));

        Assert.InRange(untilGone ?? TimeSpan.MaxValue, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.InRange(untilBack ?? TimeSpan.MaxValue, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
