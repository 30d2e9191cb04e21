using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// The district's riders: "peak-rider-0" .. "peak-rider-100999", one dev token each. Minting 101,000 tokens takes a while,
/// so they are cached in a file named after the signing key (bench/peak.sh keeps the key and a long token lifetime in
/// the same folder): a rerun reads them back.
/// </summary>
public static class RiderTokens
{
    public static string RiderId(int i) => $"peak-rider-{i}";

    public static async Task<string[]> LoadOrMintAsync(HttpClient http, string api, int riders, string cacheFolder)
    {
        var key = Environment.GetEnvironmentVariable("Auth__SigningKey") ?? "";
        var keyId = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var file = Path.Combine(cacheFolder, $"riders-{keyId}.tokens");
        if (File.Exists(file) && await File.ReadAllLinesAsync(file) is { } cached && cached.Length >= riders)
        {
            Console.Error.WriteLine($"{riders} rider tokens read from {file}");
            return cached[..riders];
        }
        var started = DateTime.UtcNow;
        var tokens = new string[riders];
        await Parallel.ForAsync(0, riders, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            using var response = await http.PostAsJsonAsync($"{api}/api/v1/dev/tokens", new { subject = RiderId(i), role = "rider" }, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
        });
        Directory.CreateDirectory(cacheFolder);
        await File.WriteAllLinesAsync(file, tokens);
        Console.Error.WriteLine($"{riders} rider tokens minted in {(DateTime.UtcNow - started).TotalSeconds:0} s, cached in {file}");
        return tokens;
    }

    /// <summary>Each rider sends GET <paramref name="url"/> once with its own token, 64 at a time; any answer but a success ends the run.</summary>
    public static Task EachGetsAsync(HttpClient http, string url, IEnumerable<string> tokens) =>
        Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (token, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });
}
