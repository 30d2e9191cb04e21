using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Tests.Seeds;

public sealed class SeedCsvTests
{
    private const string Header = "id,name_zh,name_en,cost,partner\n";

    [Fact]
    public void QuotedFieldsMayHoldCommasQuotesAndLineBreaks()
    {
        var rewards = SeedCsv.ReadRewards(new StringReader(Header + "tea,\"茶, \"\"热\"\"\nhot\",Tea,2,Corner\n"));

        Assert.Equal("茶, \"热\"\nhot", Assert.Single(rewards).Name);
    }

    [Theory]
    [InlineData("tea,热茶,Tea,2,a\ntea,绿茶,Green tea,3,b\n", "rewards.csv, line 3: id 'tea' appears twice")]
    [InlineData("tea,热茶,Tea,two,a\n", "rewards.csv, line 2: column 'cost': 'two' is not a finite number")]
    [InlineData("tea, ,Tea,2,a\n", "rewards.csv, line 2: column 'name_zh' is empty")]
    public void ABadRowIsRefusedNamingTheFileAndLine(string rows, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => SeedCsv.ReadRewards(new StringReader(Header + rows)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void TheEmbeddedSeedsHaveEveryStationInAKnownSubdistrictAndNoIdTwice()
    {
        var subdistricts = SeedData.Subdistricts.Select(s => s.Id).ToHashSet();

        Assert.Equal(791, SeedData.Stations.Count);
        Assert.All(SeedData.Stations, s => Assert.Contains(s.SubdistrictId, subdistricts));
        Assert.Equal(SeedData.Stations.Count, SeedData.Stations.Select(s => s.Id).Distinct().Count());
    }
}
