using System.Text.Json;
using FriendlyChaoyang.Api.Hosting;
using FriendlyChaoyang.Api.Stations;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Api.Tests.Stations;

public sealed class NearbyJsonTests
{
    [Fact]
    public void TheFastPathWritesNearbyStationsExactlyAsTheApisSharedOptionsDo()
    {
        IReadOnlyList<NearbyStation> stations =
        [
            new("cy-jianwai-014", "建外SOHO 暖心驿站 \"east\" <gate>", "jianwai", 39.9051234567, 116.4612345678, 123.4, true,
                new Capacity(40, 0), new Capacity(12, 3), new Capacity(0, 0)),
            new("cy-wangjing-002", "Wangjing 2", "wangjing", -0.5, 1e-7, 0, false, new Capacity(8, 8), new Capacity(2, 1), new Capacity(6, 5)),
        ];

        var fast = JsonSerializer.Serialize(stations, NearbyJson.Default.IReadOnlyListNearbyStation);
        var shared = JsonSerializer.Serialize(stations, WireJson.Options);

        Assert.Equal(shared, fast);
        Assert.Contains("\"distanceM\":123.4", fast, StringComparison.Ordinal);
    }
}
