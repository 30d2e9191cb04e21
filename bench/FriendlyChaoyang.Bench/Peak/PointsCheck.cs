using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// Points exact: after the ladder, the subdistricts' operators resolve every reported hazard that is not a duplicate;
/// then each reporter must hold exactly its due (2 for the first report of a hazard, 1 for a co-report), delivered
/// through the issues' outboxes, and a sample of other riders exactly 0.
/// </summary>
public static class PointsCheck
{
    private const int ReporterPoints = 2;
    private const int CoReporterPoints = 1;
    private static readonly string[] ToResolved = ["dispatched", "on_site", "resolved"];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<string> RunAsync(HttpClient http, string api, IReadOnlyCollection<LunchPeak.Report> reports, string[] tokens)
    {
        var operators = new Dictionary<string, string>();
        foreach (var subdistrict in reports.Select(r => r.SubdistrictId).Distinct())
        {
            using var minted = await http.PostAsJsonAsync($"{api}/api/v1/dev/tokens", new { subject = $"peak-op-{subdistrict}", role = "operator", subdistrict });
            operators[subdistrict] = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }
        var originals = reports.Where(r => r.DuplicateOf is null).ToList();
        await Parallel.ForEachAsync(originals, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (report, ct) =>
        {
            foreach (var to in ToResolved)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{api}/api/v1/issues/{report.Id}/transitions")
                {
                    Content = JsonContent.Create(new { to, note = "bench" }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operators[report.SubdistrictId]);
                using var response = await http.SendAsync(request, ct);
                response.EnsureSuccessStatusCode();
            }
        });

        var due = reports.ToDictionary(r => r.Rider, r => r.DuplicateOf is null ? ReporterPoints : CoReporterPoints);
        foreach (var other in Enumerable.Range(0, 200).Select(_ => Random.Shared.Next(tokens.Length)).Where(i => !due.ContainsKey(i)).Distinct())
        {
            due[other] = 0;
        }
        var deadline = DateTime.UtcNow + Patience;
        var wrong = due.Keys.ToList();
        while (true)
        {
            var balances = await Task.WhenAll(wrong.Select(async rider => (Rider: rider, Balance: await BalanceAsync(http, api, tokens[rider]))));
            wrong = [.. balances.Where(b => b.Balance != due[b.Rider]).Select(b => b.Rider)];
            if (wrong.Count == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(1000);
        }
        return $"points exact: {reports.Count} hazard reports ({originals.Count} first reports resolved), {due.Count} riders checked, {wrong.Count} with a wrong balance";
    }

    private static async Task<int> BalanceAsync(HttpClient http, string api, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/api/v1/riders/me/points");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetInt32();
    }
}
