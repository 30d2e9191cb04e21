using System.Text;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Seeds.Generator;

// Regenerates <data-dir>/stations.csv from <data-dir>/subdistricts.csv; with --check it only reports whether
// the file on disk is what the generator would write (exit 1 if not), which a CI step can run.
const string Usage = "usage: dotnet run --project seeds/FriendlyChaoyang.Seeds.Generator -- <data-dir> [--check]";

var check = args is [_, "--check"];
if (args is not [_] && !check)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var dataDir = args[0];
var stationsPath = Path.Combine(dataDir, SeedCsv.StationsFile);
try
{
    IReadOnlyList<SubdistrictRow> subdistricts;
    using (var reader = new StreamReader(Path.Combine(dataDir, SeedCsv.SubdistrictsFile), Encoding.UTF8))
    {
        subdistricts = SeedCsv.ReadSubdistricts(reader);
    }

    var stations = StationGenerator.Generate(subdistricts);
    var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(StationGenerator.ToCsv(stations));

    if (check)
    {
        var upToDate = File.Exists(stationsPath) && File.ReadAllBytes(stationsPath).AsSpan().SequenceEqual(bytes);
        Console.WriteLine(upToDate ? $"{stationsPath} is up to date." : $"{stationsPath} differs from the generator's output; regenerate it.");
        return upToDate ? 0 : 1;
    }

    File.WriteAllBytes(stationsPath, bytes);

    var perSubdistrict = stations.CountBy(s => s.Definition.SubdistrictId).OrderBy(c => c.Value).ToList();
    Console.WriteLine($"Wrote {stations.Count} stations for {perSubdistrict.Count} subdistricts to {stationsPath}.");
    Console.WriteLine($"Per subdistrict: min {perSubdistrict[0].Value} ({perSubdistrict[0].Key}), max {perSubdistrict[^1].Value} ({perSubdistrict[^1].Key}).");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
