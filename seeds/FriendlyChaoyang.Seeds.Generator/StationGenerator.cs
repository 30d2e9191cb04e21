using System.Globalization;
using System.Text;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Stations;
using nietras.SeparatedValues;

namespace FriendlyChaoyang.Seeds.Generator;

/// <summary>A generated station: what the silo loads, plus the English name that only the CSV carries.</summary>
internal sealed record GeneratedStation(StationDefinition Definition, string NameEn);

/// <summary>
/// Produces the synthetic station table: counts weighted towards the dense core, positions scattered around each
/// subdistrict centre, capacities drawn from plausible ranges. Same input, same output, on every machine.
/// </summary>
internal static class StationGenerator
{
    public const int TotalStations = 791;
    private const int MinimumPerSubdistrict = 5;

    // "Chaoyang" in ASCII. Each subdistrict draws from its own stream (this seed mixed with its id), so editing
    // one subdistrict's row leaves every other subdistrict's stations unchanged.
    private const ulong Seed = 0x4368616F79616E67;

    // Guomao, the CBD: demand for rider rest stops is highest here and falls off with distance.
    private const double CoreLat = 39.9087;
    private const double CoreLon = 116.4605;
    private const double CoreFalloffM = 5000;

    // 街道 are fully urban; 地区 are former townships with farmland and parks, so fewer stations per centre.
    private const double StreetWeight = 1.5;
    private const double AreaWeight = 1.0;

    private const double JitterRadiusM = 1200;
    private const double MinLat = 39.80, MaxLat = 40.10, MinLon = 116.35, MaxLon = 116.65;
    private const int MaxPlacementAttempts = 100_000;

    // Every station serves hot water (the point of a 全时驿站); charging and battery_swap follow the port counts.
    private static readonly (string Name, double Probability)[] _optionalAmenities =
    [
        ("microwave", 0.80),
        ("restroom", 0.60),
        ("first_aid", 0.70),
        ("wifi", 0.75),
        ("air_conditioning", 0.85),
        ("umbrella", 0.50),
        ("repair_kit", 0.40),
    ];

    private static readonly string[] _amenityOrder =
        ["hot_water", "microwave", "charging", "battery_swap", "restroom", "first_aid", "wifi", "air_conditioning", "umbrella", "repair_kit"];

    public static IReadOnlyList<GeneratedStation> Generate(IReadOnlyList<SubdistrictRow> subdistricts)
    {
        var counts = Allocate(subdistricts);
        var centres = subdistricts.Select(s => s.Subdistrict).ToList();
        var stations = new List<GeneratedStation>(TotalStations);
        for (var i = 0; i < subdistricts.Count; i++)
        {
            var home = subdistricts[i].Subdistrict;
            var random = new SplitMix64(Seed ^ Fnv1a64(home.Id));
            for (var number = 1; number <= counts[i]; number++)
            {
                stations.Add(CreateStation(centres, home, number, random));
            }
        }

        return stations;
    }

    /// <summary>The CSV text, with '\n' line endings on every machine, that <see cref="SeedCsv.ReadStations"/> reads back.</summary>
    public static string ToCsv(IEnumerable<GeneratedStation> stations)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using (var csv = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(text))
        {
            foreach (var (s, nameEn) in stations)
            {
                using var row = csv.NewRow();
                row["id"].Set(s.Id);
                row["name_zh"].Set(s.Name);
                row["name_en"].Set(nameEn);
                row["subdistrict_id"].Set(s.SubdistrictId);
                row["lat"].Set(FormatDegrees(s.Lat));
                row["lon"].Set(FormatDegrees(s.Lon));
                row["open24h"].Set(s.Open24h ? "true" : "false");
                row["seats"].Format(s.Seats);
                row["charging_ports"].Format(s.ChargingPorts);
                row["swap_ports"].Format(s.SwapPorts);
                row["amenities"].Set(string.Join(';', s.Amenities));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Splits <see cref="TotalStations"/> by weight after giving each subdistrict its minimum, handing the
    /// rounding remainder to the largest fractions (ties to the earlier row) so the sum is exact.
    /// </summary>
    private static int[] Allocate(IReadOnlyList<SubdistrictRow> subdistricts)
    {
        var spare = TotalStations - (MinimumPerSubdistrict * subdistricts.Count);
        if (spare < 0)
        {
            throw new InvalidOperationException($"{subdistricts.Count} subdistricts need more than {TotalStations} stations.");
        }

        var weights = subdistricts.Select(Weight).ToArray();
        var totalWeight = weights.Sum();
        var shares = weights.Select(w => spare * w / totalWeight).ToArray();
        var counts = shares.Select(share => MinimumPerSubdistrict + (int)Math.Floor(share)).ToArray();
        var leftOver = TotalStations - counts.Sum();
        var byFraction = Enumerable.Range(0, counts.Length).OrderByDescending(i => shares[i] - Math.Floor(shares[i]));
        foreach (var i in byFraction.Take(leftOver))
        {
            counts[i]++;
        }

        return counts;
    }

    private static double Weight(SubdistrictRow row)
    {
        var distance = GeoMath.DistanceM(CoreLat, CoreLon, row.Subdistrict.Lat, row.Subdistrict.Lon) / CoreFalloffM;
        var kindWeight = row.Kind == "street" ? StreetWeight : AreaWeight;
        return kindWeight / (1 + (distance * distance));
    }

    private static GeneratedStation CreateStation(IReadOnlyList<Subdistrict> all, Subdistrict home, int number, SplitMix64 random)
    {
        var (lat, lon) = PlaceNear(all, home, random);
        var seats = random.NextInt(6, 41);
        var chargingPorts = random.NextInt(2, Math.Min(20, seats) + 1);
        var swapPorts = random.Chance(0.2) ? 0 : random.NextInt(1, 13);

        var amenities = new HashSet<string>(StringComparer.Ordinal) { "hot_water", "charging" };
        if (swapPorts > 0)
        {
            amenities.Add("battery_swap");
        }

        foreach (var (name, probability) in _optionalAmenities)
        {
            if (random.Chance(probability))
            {
                amenities.Add(name);
            }
        }

        var definition = new StationDefinition(
            Id: $"cy-{home.Id}-{Format(number, "D3")}",
            Name: $"{home.NameZh}第{Format(number)}全时驿站",
            SubdistrictId: home.Id,
            Lat: lat,
            Lon: lon,
            Open24h: true,
            Seats: seats,
            ChargingPorts: chargingPorts,
            SwapPorts: swapPorts,
            Amenities: _amenityOrder.Where(amenities.Contains).ToArray());
        return new GeneratedStation(definition, $"{home.NamePinyin} Station {Format(number)}");
    }

    /// <summary>
    /// A uniform point within <see cref="JitterRadiusM"/> of the centre that stays inside Chaoyang's bounding box
    /// and whose nearest centre is its own, so routing by nearest centre agrees with the station's subdistrict.
    /// Rejection sampling in a square needs no trigonometry per draw, which keeps the output bit-stable.
    /// </summary>
    private static (double Lat, double Lon) PlaceNear(IReadOnlyList<Subdistrict> all, Subdistrict home, SplitMix64 random)
    {
        var metresPerDegreeLon = GeoMath.MetresPerDegreeLat * Math.Cos(home.Lat * Math.PI / 180);
        for (var attempt = 0; attempt < MaxPlacementAttempts; attempt++)
        {
            var east = ((random.NextDouble() * 2) - 1) * JitterRadiusM;
            var north = ((random.NextDouble() * 2) - 1) * JitterRadiusM;
            if ((east * east) + (north * north) > JitterRadiusM * JitterRadiusM)
            {
                continue;
            }

            // Check the coordinates as they will be written, not the unrounded ones.
            var lat = RoundDegrees(home.Lat + (north / GeoMath.MetresPerDegreeLat));
            var lon = RoundDegrees(home.Lon + (east / metresPerDegreeLon));
            if (lat is >= MinLat and <= MaxLat && lon is >= MinLon and <= MaxLon
                && GeoMath.NearestSubdistrict(all, lat, lon).Id == home.Id)
            {
                return (lat, lon);
            }
        }

        throw new InvalidOperationException($"Could not place a station for '{home.Id}' within {JitterRadiusM} m of its centre.");
    }

    private static double RoundDegrees(double degrees) => double.Parse(FormatDegrees(degrees), CultureInfo.InvariantCulture);

    private static string FormatDegrees(double degrees) => degrees.ToString("F6", CultureInfo.InvariantCulture);

    private static string Format(int value, string? format = null) => value.ToString(format, CultureInfo.InvariantCulture);

    // String.GetHashCode is randomised per process; FNV-1a over UTF-8 is stable everywhere.
    private static ulong Fnv1a64(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        }

        return hash;
    }
}
