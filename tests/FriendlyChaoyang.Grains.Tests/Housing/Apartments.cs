using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Housing;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Tests.Housing;

/// <summary>Lists apartments for the housing tests, each under a fresh id, by the operator of the subdistrict it lies in.</summary>
public static class Apartments
{
    /// <summary>A point in Chaoyang no other test uses (about 100 m grain), with the subdistrict it lies in.</summary>
    public static (double Lat, double Lon, string SubdistrictId) FreshSpot()
    {
        var lat = 39.90 + (Random.Shared.NextDouble() * 0.08);
        var lon = 116.44 + (Random.Shared.NextDouble() * 0.12);
        return (lat, lon, GeoMath.NearestSubdistrict(SeedData.Subdistricts, lat, lon).Id);
    }

    public static async Task<IApartmentGrain> ListAsync(this IClusterClient client, int beds, int rent = 700, (double Lat, double Lon)? at = null)
    {
        var (lat, lon, _) = FreshSpot();
        (lat, lon) = at ?? (lat, lon);
        var apartment = client.GetGrain<IApartmentGrain>($"apt-{Guid.NewGuid():N}");
        var created = await apartment.CreateAsync(New(lat, lon, rent, beds));
        Assert.Equal(CreateApartmentOutcome.Created, created.Outcome);
        return apartment;
    }

    public static NewApartment New(double lat, double lon, int rent, int beds, string? operatorSubdistrict = null) => new(
        new ApartmentListing("怡舍公寓", lat, lon, rent, beds, ["wifi", "laundry"]),
        operatorSubdistrict ?? GeoMath.NearestSubdistrict(SeedData.Subdistricts, lat, lon).Id, "op-test", $"fp-{lat}-{lon}-{rent}-{beds}");

    public static string NewRider() => $"r-{Guid.NewGuid():N}";

    public static string NewApplication() => $"app-{Guid.NewGuid():N}";
}
