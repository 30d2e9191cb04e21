using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// The lunch peak at one offered rate, open loop. Riders arrive on a fixed schedule whatever the answers take; each
/// arriving rider (any idle one of the 101,000) runs the flow of a rider at lunch: nearby with a need (seat, or a
/// charging port for one in five), check-in at the nearest answer, taking the 409's alternatives when it is full (up to
/// twice), a stay, check-out; one in 200 also reports a hazard with a small photo, one in 50 reads its points or its
/// notifications. The arrival rate is set so that the requests (about three a rider) come at the offered rate.
/// </summary>
public sealed class LunchPeak(HttpClient http, PeakOptions options, string[] tokens, bool baseline)
{
    private const double HazardShare = 1.0 / 200;
    private const double ReadShare = 1.0 / 50;
    private const double ChargingShare = 0.2;

    private static readonly byte[] Photo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private readonly ConcurrentQueue<int> _idle = new(Enumerable.Range(0, tokens.Length).OrderBy(i => Random.Shared.Next()));
    private readonly LunchMap _map = new();
    private readonly ConcurrentDictionary<int, Report> _reports = new();
    private long _sessions;
    private long _sessionRequests;
    private long _inside;
    private int _active;
    private int _arriving;
    private int _checkingOut;
    private volatile TaskCompletionSource? _hold;

    /// <summary>A hazard a rider reported, as the API answered it (baseline: only counted).</summary>
    public sealed record Report(int Rider, string Id, string? DuplicateOf, string SubdistrictId);

    public IReadOnlyCollection<Report> Reports => [.. _reports.Values];

    public async Task<RateResult> RunAsync(int rate, Func<Task<(long Present, long Overbooked)>> scanStations)
    {
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var recorder = new Recorder(windowStart, windowEnd);

        // The arrival schedule: the k-th rider is due when the running count of arrivals (rate x time) passes k, whenever
        // this loop gets to it; a late start shows up in that rider's latency.
        double scheduled = 0;
        long started = 0;
        var last = start;
        while (Stopwatch.GetTimestamp() is var now && now < windowEnd)
        {
            var finished = Interlocked.Read(ref _sessions);
            var perRider = finished < 100 ? 3.1 : Math.Max(2, (double)Interlocked.Read(ref _sessionRequests) / finished);
            var arrivals = rate / perRider;
            var scheduledNow = scheduled + Stopwatch.GetElapsedTime(last, now).TotalSeconds * arrivals;
            for (; started < (long)scheduledNow; started++)
            {
                var intended = last + (long)((started + 1 - scheduled) / arrivals * Stopwatch.Frequency);
                if (_idle.TryDequeue(out var rider))
                {
                    Interlocked.Increment(ref _active);
                    Interlocked.Increment(ref _arriving);
                    _ = Task.Run(() => SessionAsync(rider, intended, recorder));
                }
            }
            scheduled = scheduledNow;
            last = now;
            await Task.Delay(1);
        }

        // Invariants while riders are inside: hold the check-outs, let every arriving rider finish its check-in, then
        // every station must be within its seats and the riders inside must be exactly those the API admitted.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = hold;
        await WaitUntilAsync(() => Volatile.Read(ref _arriving) == 0 && Volatile.Read(ref _checkingOut) == 0);
        var inside = Interlocked.Read(ref _inside);
        var (present, overbooked) = await scanStations();
        _hold = null;
        hold.SetResult();
        await WaitUntilAsync(() => Volatile.Read(ref _active) == 0);
        var (left, _) = await scanStations();
        var invariants = $"overbooked {overbooked}, inside {present} of {inside} admitted, left inside {left}";
        return recorder.Result(options.Target, rate, invariants);
    }

    private async Task SessionAsync(int rider, long intended, Recorder recorder)
    {
        var session = new Session(recorder);
        try
        {
            await RideAsync(rider, intended, session);
        }
        finally
        {
            Interlocked.Add(ref _sessionRequests, session.Requests);
            Interlocked.Increment(ref _sessions);
            _idle.Enqueue(rider);
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>One rider's lunch; the caller counted it as arriving.</summary>
    private async Task RideAsync(int rider, long intended, Session session)
    {
        var random = Random.Shared;
        var token = tokens[rider];
        var admitted = false;
        string? station = null;
        try
        {
            var (lat, lon) = _map.Sample(random);
            var charging = random.NextDouble() < ChargingShare;
            var nearby = await SendAsync(session, intended, "nearby", HttpMethod.Get,
                $"stations/nearby?lat={F(lat)}&lon={F(lon)}&radius=3000&limit=5&need={(charging ? "charging" : "seat")}", token, null, HttpStatusCode.OK);
            station = nearby.Body is { ValueKind: JsonValueKind.Array } found && found.GetArrayLength() > 0 ? found[0].GetProperty("id").GetString() : null;
            for (var attempt = 0; station is not null && attempt < 3; attempt++)
            {
                var checkIn = await SendAsync(session, Stopwatch.GetTimestamp(), "check-in", HttpMethod.Post, $"stations/{station}/check-ins", token,
                    new StringContent(charging ? """{"charging":true}""" : "{}", null, "application/json"), HttpStatusCode.OK, HttpStatusCode.Conflict);
                if (checkIn.Status == HttpStatusCode.OK)
                {
                    admitted = true;
                    Interlocked.Increment(ref _inside);
                    break;
                }
                station = checkIn.Status == HttpStatusCode.Conflict && checkIn.Body is { } problem
                    && problem.TryGetProperty("alternatives", out var alternatives) && alternatives.GetArrayLength() > 0
                    ? alternatives[0].GetProperty("id").GetString()
                    : null;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _arriving);
        }
        var admittedAt = Stopwatch.GetTimestamp();

        if (random.NextDouble() < HazardShare)
        {
            await ReportHazardAsync(rider, session);
        }
        if (random.NextDouble() < ReadShare)
        {
            await SendAsync(session, Stopwatch.GetTimestamp(), "read", HttpMethod.Get,
                random.Next(2) == 0 ? "riders/me/points" : "riders/me/notifications", token, null, HttpStatusCode.OK);
        }
        if (admitted)
        {
            var leaveAt = admittedAt + (long)(options.Stay.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), leaveAt);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            await CheckOutAsync(session, leaveAt, station!, token);
        }
    }

    private async Task CheckOutAsync(Session session, long intended, string station, string token)
    {
        while (true)
        {
            Interlocked.Increment(ref _checkingOut);
            if (_hold is not { } hold)
            {
                break;
            }
            Interlocked.Decrement(ref _checkingOut);
            await hold.Task;
        }
        try
        {
            var checkOut = await SendAsync(session, intended, "check-out", HttpMethod.Post, $"stations/{station}/check-out", token, null, HttpStatusCode.OK);
            if (checkOut.Status == HttpStatusCode.OK)
            {
                Interlocked.Decrement(ref _inside);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _checkingOut);
        }
    }

    private async Task ReportHazardAsync(int rider, Session session)
    {
        if (_reports.ContainsKey(rider))
        {
            return; // One report a rider, so "points exact" can name each rider's due.
        }
        var (lat, lon) = _map.Sample(Random.Shared);
        var category = SeedData.IssueCategories[Random.Shared.Next(SeedData.IssueCategories.Count)].Id;
        var photo = new ByteArrayContent(Photo);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var form = new MultipartFormDataContent
        {
            { new StringContent(category), "category" },
            { new StringContent(F(lat)), "lat" },
            { new StringContent(F(lon)), "lon" },
            { new StringContent("Lunch-peak bench: hazard on the road"), "description" },
            { photo, "photo", "hazard.png" },
        };
        var answer = await SendAsync(session, Stopwatch.GetTimestamp(), "report", HttpMethod.Post, "issues", tokens[rider], form, HttpStatusCode.Created);
        if (answer.Status == HttpStatusCode.Created && !baseline && answer.Body is { } receipt)
        {
            _reports[rider] = new Report(rider, receipt.GetProperty("id").GetString()!,
                receipt.TryGetProperty("duplicateOf", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
                receipt.GetProperty("subdistrictId").GetString()!);
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement? Body)> SendAsync(
        Session session, long intended, string what, HttpMethod method, string path, string token, HttpContent? content,
        params HttpStatusCode[] expected)
    {
        session.Requests++;
        HttpStatusCode status;
        JsonElement? body = null;
        try
        {
            using var request = new HttpRequestMessage(method, $"{options.Api}/api/v1/{path}") { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            status = response.StatusCode;
            if (status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Conflict && response.Content.Headers.ContentLength != 0)
            {
                body = await response.Content.ReadFromJsonElementAsync();
            }
            else
            {
                await response.Content.LoadIntoBufferAsync();
            }
        }
        catch (HttpRequestException)
        {
            status = HttpStatusCode.ServiceUnavailable;
        }
        catch (TaskCanceledException)
        {
            status = HttpStatusCode.GatewayTimeout;
        }
        session.Recorder.Add(intended, status, expected.Contains(status), what);
        return (status, body);
    }

    /// <summary>One rider's lunch: where its requests are recorded, and how many it sent (for the arrival rate).</summary>
    private sealed class Session(Recorder recorder)
    {
        public Recorder Recorder => recorder;

        public int Requests { get; set; }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(20);
        }
    }

    private static string F(double value) => value.ToString("F6", CultureInfo.InvariantCulture);
}

internal static class HttpContentJson
{
    public static async Task<JsonElement> ReadFromJsonElementAsync(this HttpContent content)
    {
        await using var stream = await content.ReadAsStreamAsync();
        return await JsonSerializer.DeserializeAsync<JsonElement>(stream);
    }
}
