using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// Where riders are at lunch: near a station, picked in proportion to its seats (the stations' density and size), with
/// the busiest 5% (most seats, in the commercial centres) weighted eight times more; a rider stands a few hundred
/// metres from it (normal, sigma 400 m).
/// </summary>
public sealed class LunchMap
{
    private const double LunchBoost = 8;
    private const double SpreadM = 400;
    private readonly double[] _cumulative;

    public LunchMap()
    {
        var busiestSeats = SeedData.Stations.Select(s => s.Seats).OrderDescending().ElementAt(SeedData.Stations.Count / 20);
        _cumulative = new double[SeedData.Stations.Count];
        var total = 0.0;
        for (var i = 0; i < _cumulative.Length; i++)
        {
            var s = SeedData.Stations[i];
            total += s.Seats * (s.Seats >= busiestSeats ? LunchBoost : 1);
            _cumulative[i] = total;
        }
    }

    public (double Lat, double Lon) Sample(Random random)
    {
        var pick = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
        var station = SeedData.Stations[pick < 0 ? ~pick : pick];
        var northM = Gaussian(random) * SpreadM;
        var eastM = Gaussian(random) * SpreadM;
        return (station.Lat + northM / 111_320, station.Lon + eastM / (111_320 * Math.Cos(station.Lat * Math.PI / 180)));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
