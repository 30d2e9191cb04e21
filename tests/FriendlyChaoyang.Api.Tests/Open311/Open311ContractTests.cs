using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Issues;
using FriendlyChaoyang.Api.Tests.Security;
using static FriendlyChaoyang.Api.Tests.Open311.Open311Steps;

namespace FriendlyChaoyang.Api.Tests.Open311;

/// <summary>Each GeoReport v2 resource in json and xml against the shapes and element names of the specification's examples.</summary>
[Collection(ApiCollection.Name)]
public sealed class Open311ContractTests(ApiFixture api)
{
    [Fact]
    public async Task DiscoveryNamesTheGeoReportV2EndpointAndBothFormats()
    {
        using var client = api.Anonymous();
        var json = await JsonAsync(await client.GetAsync($"{Base}/discovery.json"), 200);
        Assert.Equal(["changeset", "contact", "key_service", "endpoints"], Names(json));
        var endpoint = Assert.Single(json.GetProperty("endpoints").EnumerateArray());
        Assert.Equal(["specification", "url", "changeset", "type", "formats"], Names(endpoint));
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint.GetProperty("specification").GetString());
        Assert.EndsWith("/open311/v2", endpoint.GetProperty("url").GetString());
        Assert.Equal(["text/xml", "application/json"], endpoint.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));

        var xml = await XmlAsync(await client.GetAsync($"{Base}/discovery.xml"), 200);
        Assert.Equal("discovery", xml.Name.LocalName);
        Assert.Equal(["changeset", "contact", "key_service", "endpoints"], Names(xml));
        var xmlEndpoint = Assert.Single(xml.Element("endpoints")!.Elements());
        Assert.Equal("endpoint", xmlEndpoint.Name.LocalName);
        Assert.Equal(["text/xml", "application/json"], xmlEndpoint.Element("formats")!.Elements("format").Select(f => f.Value));
    }

    [Fact]
    public async Task ServicesAreOurCategoriesAsABareArrayAndAsServiceElements()
    {
        using var client = api.Anonymous();
        var categories = await client.GetFromJsonAsync<JsonElement>("/api/v1/issue-categories");
        var codes = categories.EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToArray();

        var json = await JsonAsync(await client.GetAsync($"{Base}/services.json?jurisdiction_id=chaoyang.beijing"), 200);
        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        Assert.Equal(codes, json.EnumerateArray().Select(s => s.GetProperty("service_code").GetString()));
        Assert.All(json.EnumerateArray(), s =>
        {
            Assert.Equal(ServiceFields, Names(s));
            Assert.False(s.GetProperty("metadata").GetBoolean());
            Assert.Equal("realtime", s.GetProperty("type").GetString());
        });

        var xml = await XmlAsync(await client.GetAsync($"{Base}/services.xml"), 200);
        Assert.Equal("services", xml.Name.LocalName);
        Assert.All(xml.Elements(), s => Assert.Equal("service", s.Name.LocalName));
        Assert.Equal(codes, xml.Elements().Select(s => s.Element("service_code")!.Value));
        Assert.All(xml.Elements(), s => Assert.Equal(ServiceFields, Names(s)));
        Assert.All(xml.Elements(), s => Assert.Equal("false", s.Element("metadata")!.Value));
    }

    [Fact]
    public async Task AServiceDefinitionHasNoAttributesAndAnUnknownCodeIsA404ErrorArray()
    {
        using var client = api.Anonymous();
        var json = await JsonAsync(await client.GetAsync($"{Base}/services/pothole.json"), 200);
        Assert.Equal(["service_code", "attributes"], Names(json));
        Assert.Equal("pothole", json.GetProperty("service_code").GetString());
        Assert.Equal(0, json.GetProperty("attributes").GetArrayLength());

        var xml = await XmlAsync(await client.GetAsync($"{Base}/services/pothole.xml"), 200);
        Assert.Equal("service_definition", xml.Name.LocalName);
        Assert.Equal(["service_code", "attributes"], Names(xml));

        await ExpectErrorsAsync([404], await client.GetAsync($"{Base}/services/no_such_code.json"), 404);
    }

    [Fact]
    public async Task APostedRequestReadsBackAloneAndInTheListInBothFormats()
    {
        var (_, key) = await IssueKeyAsync(api, "meituan");
        var (lat, lon) = FreshSpot();
        using var client = api.Anonymous();

        var posted = await client.PostAsync($"{Base}/requests.xml", Request(key, "pothole", lat, lon,
            ("description", "Deep pothole in the bike lane"), ("media_url", "https://img.example.com/p/1.jpg"), ("account_id", "acct-1")));
        var receipt = await XmlSingleAsync(posted, 200, "service_requests", "request");
        Assert.Equal(CreatedFields, Names(receipt));
        Assert.Equal("acct-1", receipt.Element("account_id")!.Value);
        var id = receipt.Element("service_request_id")!.Value;

        var one = await JsonAsync(await client.GetAsync($"{Base}/requests/{id}.json?jurisdiction_id=chaoyang.beijing"), 200);
        var request = Assert.Single(one.EnumerateArray());
        Assert.Equal(RequestFields, Names(request));
        Assert.Equal(id, request.GetProperty("service_request_id").GetString());
        Assert.Equal("open", request.GetProperty("status").GetString());
        Assert.Equal("submitted", request.GetProperty("status_notes").GetString());
        Assert.Equal("pothole", request.GetProperty("service_code").GetString());
        Assert.Equal("Deep pothole in the bike lane", request.GetProperty("description").GetString());
        Assert.Equal("https://img.example.com/p/1.jpg", request.GetProperty("media_url").GetString());
        Assert.Equal(lat, request.GetProperty("lat").GetDouble());
        Assert.Equal(lon, request.GetProperty("long").GetDouble());
        var requested = request.GetProperty("requested_datetime").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$", requested);
        Assert.True(DateTimeOffset.Parse(requested, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));

        var xmlRequest = await XmlSingleAsync(await client.GetAsync($"{Base}/requests/{id}.xml"), 200, "service_requests", "request");
        Assert.Equal(RequestFields, Names(xmlRequest));
        Assert.Equal("", xmlRequest.Element("zipcode")!.Value);

        var listed = await JsonAsync(await client.GetAsync($"{Base}/requests.json?service_code=pothole&status=open"), 200);
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == id);
        var listedXml = await XmlAsync(await client.GetAsync($"{Base}/requests.xml?service_request_id={id},no-such-id"), 200);
        Assert.Equal([id], listedXml.Elements("request").Select(r => r.Element("service_request_id")!.Value));
        var closedOnly = await JsonAsync(await client.GetAsync($"{Base}/requests.json?status=closed&service_code=pothole"), 200);
        Assert.DoesNotContain(closedOnly.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == id);

        var token = await JsonAsync(await client.GetAsync($"{Base}/tokens/{id}.json"), 200);
        Assert.Equal(["service_request_id", "token"], Names(Assert.Single(token.EnumerateArray())));
        var tokenXml = await XmlSingleAsync(await client.GetAsync($"{Base}/tokens/{id}.xml"), 200, "service_requests", "request");
        Assert.Equal(["service_request_id", "token"], Names(tokenXml));
        await ExpectErrorsAsync([404], await client.GetAsync($"{Base}/tokens/no-such-token.json"), 404);
    }

    [Fact]
    public async Task GetRequestsFiltersByDateAndPagesNewestFirst()
    {
        var (_, key) = await IssueKeyAsync(api, "eleme");
        using var client = api.Anonymous();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (lat, lon) = FreshSpot();
            ids.Add(await PostedIdAsync(await client.PostAsync($"{Base}/requests.json", Request(key, "streetlight_out", lat, lon))));
        }
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

        var all = await JsonAsync(await client.GetAsync($"{Base}/requests.json?service_code=streetlight_out&start_date={since}"), 200);
        var listed = all.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()!).ToList();
        Assert.Superset(ids.ToHashSet(), listed.ToHashSet());
        var pages = new List<string>();
        for (var page = 1; page <= listed.Count; page++)
        {
            var one = await JsonAsync(await client.GetAsync($"{Base}/requests.json?service_code=streetlight_out&start_date={since}&page={page}&page_size=1"), 200);
            pages.Add(Assert.Single(one.EnumerateArray()).GetProperty("service_request_id").GetString()!);
        }
        Assert.Equal(listed, pages);
        var requested = all.EnumerateArray().Select(r => DateTimeOffset.Parse(r.GetProperty("requested_datetime").GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(requested.OrderDescending(), requested);

        var past = await JsonAsync(await client.GetAsync($"{Base}/requests.json?service_code=streetlight_out&end_date=2020-01-01T00:00:00Z"), 200);
        Assert.Equal(0, past.GetArrayLength());
        await ExpectErrorsAsync([400], await client.GetAsync($"{Base}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z"), 400);
        await ExpectErrorsAsync([400, 400], await client.GetAsync($"{Base}/requests.json?status=pending&page_size=5000"), 400);
    }

    [Fact]
    public async Task ErrorsAreTheSpecificationsArrayInBothFormatsNeverProblemDetails()
    {
        using var client = api.Anonymous();
        await ExpectErrorsAsync([404], await client.GetAsync($"{Base}/services.json?jurisdiction_id=sfgov.org"), 404);
        await ExpectErrorsAsync([404], await client.GetAsync($"{Base}/no/such/path.json"), 404);
        await ExpectErrorsAsync([404], await client.GetAsync($"{Base}/services.yaml"), 404);
        await ExpectErrorsAsync([404], await client.GetAsync($"{Base}/requests/no-such-request.json"), 404);
        await ExpectErrorsAsync([400], await client.GetAsync($"{Base}/requests/{Uri.EscapeDataString(" bad")}.json"), 400);

        var error = await XmlSingleAsync(await client.GetAsync($"{Base}/no/such/path.xml"), 404, "errors", "error");
        Assert.Equal(ErrorFields, Names(error));
        Assert.Equal("404", error.Element("code")!.Value);

        var forbidden = await XmlSingleAsync(
            await client.PostAsync($"{Base}/requests.xml", Request("fcpk_not-a-key", "pothole", 39.98, 116.47)), 403, "errors", "error");
        Assert.Equal("403", forbidden.Element("code")!.Value);
    }

    [Fact]
    public async Task APostNamesEveryWrongFieldAndAnUnknownServiceCodeIsNotFound()
    {
        var (_, key) = await IssueKeyAsync(api, "meituan");
        using var client = api.Anonymous();
        var (lat, lon) = FreshSpot();

        await ExpectErrorsAsync([404], await client.PostAsync($"{Base}/requests.json", Request(key, "unicorns", lat, lon)), 404);
        var outside = await client.PostAsync($"{Base}/requests.json", Request(key, "pothole", 31.23, 121.47, ("media_url", "ftp://x")));
        var errors = await JsonAsync(outside, 400);
        var descriptions = errors.EnumerateArray().Select(e => e.GetProperty("description").GetString()!).ToList();
        Assert.Contains(descriptions, d => d.StartsWith("lat:", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d.StartsWith("long:", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d.StartsWith("media_url:", StringComparison.Ordinal));
        var noLocation = await client.PostAsync($"{Base}/requests.json",
            Form(("api_key", key), ("service_code", "pothole"), ("address_string", "建国路 88 号")));
        await ExpectErrorsAsync([400], noLocation, 400);
        await ExpectErrorsAsync([404], 
            await client.PostAsync($"{Base}/requests.json", Form(("api_key", key), ("jurisdiction_id", "sfgov.org"))), 404);
    }

    [Fact]
    public async Task AnUploadedMediaFileIsCheckedStrippedAndServedAtMediaUrl()
    {
        var (_, key) = await IssueKeyAsync(api, "meituan");
        using var client = api.Anonymous();
        var (lat, lon) = FreshSpot();

        using var notAnImage = Multipart(key, lat, lon, "not an image"u8.ToArray());
        await ExpectErrorsAsync([400], await client.PostAsync($"{Base}/requests.json", notAnImage), 400);

        using var form = Multipart(key, lat, lon, TestPhotos.JpegWithExif());
        var id = await PostedIdAsync(await client.PostAsync($"{Base}/requests.json", form));
        var request = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"{Base}/requests/{id}.json")).EnumerateArray());
        var mediaUrl = new Uri(request.GetProperty("media_url").GetString()!);
        Assert.Equal($"{Base}/requests/{id}/media", mediaUrl.AbsolutePath);

        var media = await client.GetAsync(mediaUrl.AbsolutePath);
        Assert.Equal(200, (int)media.StatusCode);
        Assert.Equal("image/jpeg", media.Content.Headers.ContentType?.MediaType);
        var bytes = await media.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain(TestPhotos.GpsMarker, System.Text.Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public async Task ARepeatedPostWithAnIdempotencyKeyCreatesNothingNewAndAnotherBodyIsRefused()
    {
        var (_, key) = await IssueKeyAsync(api, "meituan");
        using var client = api.Anonymous();
        var (lat, lon) = FreshSpot();
        var idempotencyKey = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/requests.json") { Content = Request(key, "fallen_tree", lat, lon) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await PostedIdAsync(await client.SendAsync(request));
        }));
        Assert.Single(answers.Distinct());

        using var other = new HttpRequestMessage(HttpMethod.Post, $"{Base}/requests.json") { Content = Request(key, "fallen_tree", lat + 0.01, lon) };
        other.Headers.Add("Idempotency-Key", idempotencyKey);
        await ExpectErrorsAsync([422], await client.SendAsync(other), 400);

        var listed = await JsonAsync(await client.GetAsync($"{Base}/requests.json?service_code=fallen_tree"), 200);
        Assert.Single(listed.EnumerateArray(), r => r.GetProperty("lat").GetDouble() == lat && r.GetProperty("long").GetDouble() == lon);
    }

    [Fact]
    public async Task OverTheRateLimitOpen311AnswersTheErrorArrayWithRetryAfter()
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:Anonymous:PermitLimit"] = "2", ["RateLimits:Anonymous:Window"] = "00:10:00" };
        await using var own = await OwnApi.StartAsync(api, settings);
        using var client = own.Client("192.0.2.77");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(200, (int)(await client.GetAsync($"{Base}/services.json")).StatusCode);
        }
        var limited = await client.GetAsync($"{Base}/services.xml");
        var error = await XmlSingleAsync(limited, 429, "errors", "error");
        Assert.Equal("429", error.Element("code")!.Value);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    private static MultipartFormDataContent Multipart(string key, double lat, double lon, byte[] media)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(key), "api_key" },
            { new StringContent("road_collapse"), "service_code" },
            { new StringContent(lat.ToString("R", CultureInfo.InvariantCulture)), "lat" },
            { new StringContent(lon.ToString("R", CultureInfo.InvariantCulture)), "long" },
        };
        var file = new ByteArrayContent(media);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "media", "IMG_0001.jpg");
        return form;
    }
}
