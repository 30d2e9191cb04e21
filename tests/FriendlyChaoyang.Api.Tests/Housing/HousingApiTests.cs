using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Api.Tests.Housing;

/// <summary>Listing apartments, applying, accepting, withdrawing and moving out through the REST API.</summary>
[Collection(ApiCollection.Name)]
public sealed class HousingApiTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("name", "", "name")]
    [InlineData("name", "long", "name")]
    [InlineData("lat", 31.23, "lat")]
    [InlineData("lon", 121.47, "lon")]
    [InlineData("lat", null, "lat")]
    [InlineData("rentMonthly", 599, "rentMonthly")]
    [InlineData("rentMonthly", 1201, "rentMonthly")]
    [InlineData("rentMonthly", null, "rentMonthly")]
    [InlineData("beds", 0, "beds")]
    [InlineData("beds", 1001, "beds")]
    [InlineData("amenities", "blank", "amenities")]
    public async Task ABadListingIsA400NamingTheFieldAndStoresNothing(string field, object? value, string named)
    {
        using var op = await fixture.OperatorAsync("jianwai");
        var body = HousingSteps.Apartment();
        body[field] = value switch
        {
            "long" => new string('公', 101),
            "blank" => new JsonArray("wifi", " "),
            string text => text,
            int number => number,
            double number => number,
            _ => null,
        };
        var key = $"k-{Guid.NewGuid():N}";

        await ProblemAssert.IsValidationProblemAsync(await PostApartmentAsync(op, body, key), named);

        // Nothing was stored under the key: the same key with a valid body lists a new apartment (not a 422).
        var valid = await PostApartmentAsync(op, HousingSteps.Apartment(), key);
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task OnlyAnOperatorOfTheSubdistrictTheApartmentLiesInListsItAndRepeatsAreIdempotent()
    {
        using var rider = await fixture.RiderAsync();
        using var chaowai = await fixture.OperatorAsync("chaowai");
        using var jianwai = await fixture.OperatorAsync("jianwai");
        var body = HousingSteps.Apartment();
        var (lat, lon) = (body["lat"]!.GetValue<double>(), body["lon"]!.GetValue<double>());

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous().PostAsJsonAsync("/api/v1/housing/apartments", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PostAsJsonAsync("/api/v1/housing/apartments", body)).StatusCode);
        var refused = await ProblemAssert.IsProblemAsync(await chaowai.PostAsJsonAsync("/api/v1/housing/apartments", body), HttpStatusCode.Forbidden);
        Assert.Contains("jianwai", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await NearAsync(lat, lon, 1));

        var key = $"k-{Guid.NewGuid():N}";
        var created = await PostApartmentAsync(jianwai, body, key);
        var again = await PostApartmentAsync(jianwai, body, key);
        body["beds"] = 2;
        var other = await PostApartmentAsync(jianwai, body, key);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var apartment = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = apartment.GetProperty("id").GetString();
        Assert.Equal($"/api/v1/housing/apartments/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(("jianwai", 700, 1, 1, 0), (apartment.GetProperty("subdistrictId").GetString(), apartment.GetProperty("rentMonthly").GetInt32(),
            apartment.GetProperty("beds").GetProperty("total").GetInt32(), apartment.GetProperty("beds").GetProperty("free").GetInt32(),
            apartment.GetProperty("waiting").GetInt32()));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(id, Assert.Single(await NearAsync(lat, lon, 1)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ASearchListsApartmentsNearestFirstUnderTheRentCap()
    {
        var (lat, lon) = (39.9000 + (Random.Shared.NextDouble() * 0.01), 116.4460);
        var near = await fixture.ListApartmentAsync(HousingSteps.Apartment(rent: 1000, lat: lat + 0.0005, lon: lon));
        var far = await fixture.ListApartmentAsync(HousingSteps.Apartment(rent: 650, lat: lat + 0.002, lon: lon));
        var mine = new[] { near, far };

        var all = (await NearAsync(lat, lon, 1000)).Select(a => a.GetProperty("id").GetString()).Where(mine.Contains);
        var capped = (await NearAsync(lat, lon, 1000, "&maxRent=800")).Select(a => a.GetProperty("id").GetString()).Where(mine.Contains);
        var first = (await NearAsync(lat, lon, 1000))[0];

        Assert.Equal([near, far], all);
        Assert.Equal([far], capped);
        Assert.InRange(first.GetProperty("distanceM").GetDouble(), 0, 60);
    }

    [Theory]
    [InlineData("?lon=116.45", "lat")]
    [InlineData("?lat=39.9", "lon")]
    [InlineData("?lat=91&lon=116.45", "lat")]
    [InlineData("?lat=39.9&lon=116.45&radius=0", "radius")]
    [InlineData("?lat=39.9&lon=116.45&radius=20001", "radius")]
    [InlineData("?lat=39.9&lon=116.45&maxRent=0", "maxRent")]
    [InlineData("?lat=39.9&lon=116.45&pageSize=101", "pageSize")]
    public async Task ABadSearchIsA400NamingTheParameter(string query, string named)
    {
        await ProblemAssert.IsValidationProblemAsync(await fixture.Anonymous().GetAsync($"/api/v1/housing/apartments{query}"), named);
    }

    [Fact]
    public async Task TwoRidersForOneBedTheSecondWaitsTheFirstMovesInAndWhenTheyMoveOutTheBedIsOfferedOn()
    {
        var apartment = await fixture.ListApartmentAsync();
        using var first = await fixture.RiderAsync();
        using var second = await fixture.RiderAsync();
        using var stranger = await fixture.RiderAsync();
        using var chaowai = await fixture.OperatorAsync("chaowai");

        var offered = await Created(await first.ApplyAsync(apartment));
        var waiting = await Created(await second.ApplyAsync(apartment));
        Assert.Equal(("offered", 0), (offered.GetProperty("status").GetString(), offered.GetProperty("position").GetInt32()));
        Assert.True(offered.GetProperty("offerExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal(("waiting", 1, apartment), (waiting.GetProperty("status").GetString(), waiting.GetProperty("position").GetInt32(),
            waiting.GetProperty("apartmentId").GetString()));
        var listed = await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/housing/apartments/{apartment}");
        Assert.Equal((0, 1), (listed.GetProperty("beds").GetProperty("free").GetInt32(), listed.GetProperty("waiting").GetInt32()));

        var applicationId = offered.GetProperty("id").GetString();
        await ProblemAssert.IsProblemAsync(await first.ApplyAsync(apartment), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await stranger.PostAsync($"/api/v1/housing/applications/{applicationId}/accept", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await stranger.DeleteAsync($"/api/v1/housing/applications/{applicationId}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await second.PostAsync($"/api/v1/housing/applications/{waiting.GetProperty("id").GetString()}/accept", null), HttpStatusCode.Conflict);

        var accepted = await first.PostAsync($"/api/v1/housing/applications/{applicationId}/accept", null);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var allocation = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("allocated", 1), (allocation.GetProperty("status").GetString(), allocation.GetProperty("bed").GetInt32()));
        var tenancyId = allocation.GetProperty("tenancyId").GetString()!;
        var mine = await first.MyHousingAsync();
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("application").ValueKind);
        Assert.Equal((tenancyId, apartment, 1), (mine.GetProperty("tenancy").GetProperty("id").GetString(),
            mine.GetProperty("tenancy").GetProperty("apartmentId").GetString(), mine.GetProperty("tenancy").GetProperty("bed").GetInt32()));
        await ProblemAssert.IsProblemAsync(await first.DeleteAsync($"/api/v1/housing/applications/{applicationId}"), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await first.ApplyAsync(apartment), HttpStatusCode.Conflict);

        await ProblemAssert.IsProblemAsync(await stranger.PostAsync($"/api/v1/housing/tenancies/{tenancyId}/move-out", null), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await chaowai.PostAsync($"/api/v1/housing/tenancies/{tenancyId}/move-out", null), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await first.PostAsync("/api/v1/housing/tenancies/no-such-tenancy/move-out", null), HttpStatusCode.NotFound);
        Assert.Equal("waiting", (await second.MyHousingAsync()).GetProperty("application").GetProperty("status").GetString());

        var movedOut = await first.PostAsync($"/api/v1/housing/tenancies/{tenancyId}/move-out", null);
        Assert.Equal(HttpStatusCode.OK, movedOut.StatusCode);
        Assert.Equal(tenancyId, (await movedOut.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, (await first.MyHousingAsync()).GetProperty("tenancy").ValueKind);
        Assert.Equal("offered", (await second.MyHousingAsync()).GetProperty("application").GetProperty("status").GetString());
        var notes = await Eventually.ReadAsync(() => second.GetFromJsonAsync<JsonElement[]>("/api/v1/riders/me/notifications"), n => n!.Length > 0);
        Assert.Equal("housing_bed_offered", Assert.Single(notes!).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task AnOfferNotAcceptedInTimePassesToTheNextRiderAndTheFirstIsTold()
    {
        var apartment = await fixture.ListApartmentAsync();
        using var first = await fixture.RiderAsync();
        using var second = await fixture.RiderAsync();
        var offered = await Created(await first.ApplyAsync(apartment));
        await Created(await second.ApplyAsync(apartment));

        var passedOn = await Eventually.ReadAsync(second.MyHousingAsync,
            h => h.GetProperty("application").GetProperty("status").GetString() == "offered", seconds: 60);

        Assert.Equal("offered", passedOn.GetProperty("application").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, (await first.MyHousingAsync()).GetProperty("application").ValueKind);
        await ProblemAssert.IsProblemAsync(await first.PostAsync($"/api/v1/housing/applications/{offered.GetProperty("id").GetString()}/accept", null),
            HttpStatusCode.Conflict);
        var told = await Eventually.ReadAsync(() => first.GetFromJsonAsync<JsonElement[]>("/api/v1/riders/me/notifications"), n => n!.Length > 1);
        Assert.Equal(["housing_bed_offered", "housing_offer_expired"], told!.Select(n => n.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task AnIdempotencyKeyAnswersTheSameApplicationAnd422ForAnotherApartmentAndAWithdrawalFreesTheRider()
    {
        var apartment = await fixture.ListApartmentAsync(HousingSteps.Apartment(beds: 3));
        var another = await fixture.ListApartmentAsync();
        using var rider = await fixture.RiderAsync();
        var key = $"k-{Guid.NewGuid():N}";

        var first = await Created(await ApplyWithKeyAsync(rider, apartment, key));
        var again = await Created(await ApplyWithKeyAsync(rider, apartment, key));
        await ProblemAssert.IsProblemAsync(await ApplyWithKeyAsync(rider, another, key), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        var listed = await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/housing/apartments/{apartment}");
        Assert.Equal(2, listed.GetProperty("beds").GetProperty("free").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await rider.DeleteAsync($"/api/v1/housing/applications/{first.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await rider.MyHousingAsync()).GetProperty("application").ValueKind);
        listed = await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/housing/apartments/{apartment}");
        Assert.Equal(3, listed.GetProperty("beds").GetProperty("free").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await rider.ApplyAsync(another)).StatusCode);
    }

    [Theory]
    [InlineData("{}", "apartmentId")]
    [InlineData("{\"apartmentId\":\" x\"}", "apartmentId")]
    [InlineData("{\"apartmentId\":\"apt-nosuchapartment\"}", "apartmentId")]
    public async Task ABadApplicationIsA400NamingTheApartmentAndLeavesTheRiderWithout(string json, string named)
    {
        using var rider = await fixture.RiderAsync();

        var response = await rider.PostAsync("/api/v1/housing/applications", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblemAsync(response, named);
        var mine = await rider.MyHousingAsync();
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (mine.GetProperty("application").ValueKind, mine.GetProperty("tenancy").ValueKind));
    }

    private static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement[]> NearAsync(double lat, double lon, double radius, string extra = "") =>
        (await fixture.Anonymous().GetFromJsonAsync<JsonElement[]>(
            FormattableString.Invariant($"/api/v1/housing/apartments?lat={lat}&lon={lon}&radius={radius}&pageSize=100{extra}")))!;

    private static Task<HttpResponseMessage> PostApartmentAsync(HttpClient op, JsonObject body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/housing/apartments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return op.SendAsync(request);
    }

    private static Task<HttpResponseMessage> ApplyWithKeyAsync(HttpClient rider, string apartmentId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/housing/applications") { Content = JsonContent.Create(new { apartmentId }) };
        request.Headers.Add("Idempotency-Key", key);
        return rider.SendAsync(request);
    }
}
