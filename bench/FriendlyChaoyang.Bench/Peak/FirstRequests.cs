using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// Readiness must mean ready: run the moment /readyz first answered 200, this sends riders' first requests (a nearby
/// search, a check-in at a random station and its check-out, 32 at a time) and counts every answer other than 200
/// or a 409 "full".
/// </summary>
public static class FirstRequests
{
    public static async Task RunAsync(HttpClient http, PeakOptions options)
    {
        var tokens = await RiderTokens.LoadOrMintAsync(http, options.Api, Math.Min(options.Riders, 2000), options.TokenCache);
        var clock = Stopwatch.StartNew();
        long requests = 0, failures = 0;
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await Parallel.ForAsync(0, tokens.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var random = new Random(i);
            var station = SeedData.Stations[random.Next(SeedData.Stations.Count)];
            foreach (var (method, path) in new[]
            {
                (HttpMethod.Get, $"stations/nearby?lat={station.Lat.ToString(CultureInfo.InvariantCulture)}&lon={station.Lon.ToString(CultureInfo.InvariantCulture)}&need=seat"),
                (HttpMethod.Post, $"stations/{station.Id}/check-ins"),
                (HttpMethod.Post, $"stations/{station.Id}/check-out"),
            })
            {
                using var request = new HttpRequestMessage(method, $"{options.Api}/api/v1/{path}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i]);
                HttpStatusCode status;
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = HttpStatusCode.ServiceUnavailable;
                }
                Interlocked.Increment(ref requests);
                if (status is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
                {
                    Interlocked.Increment(ref failures);
                    kinds.AddOrUpdate($"{path.Split('?')[0].Split('/')[^1]} {(int)status}", 1, (_, n) => n + 1);
                }
                if (status != HttpStatusCode.OK)
                {
                    break;
                }
            }
        });
        var detail = failures == 0 ? "" : $" ({string.Join(", ", kinds.Select(k => $"{k.Key} x{k.Value}"))})";
        Console.WriteLine($"first requests after readiness ({options.Target}): {requests} in {clock.Elapsed.TotalSeconds:0.0} s, {failures} failed{detail}");
    }
}
