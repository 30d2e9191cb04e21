using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;

namespace FriendlyChaoyang.Api.Tests.Open311;

/// <summary>What an Open311 client does: issue a partner key (as an admin), post form-encoded requests, read json and xml.</summary>
public static class Open311Steps
{
    public const string Base = "/open311/v2";

    // North of the other test classes' spots; each call moves ~200 m, so no report is another test's duplicate.
    private const double BaseLat = 39.975, BaseLon = 116.47;
    private static int _spot;

    /// <summary>The element names of the specification's examples (GeoReport v2, Service Discovery).</summary>
    public static readonly string[] ServiceFields = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];

    public static readonly string[] RequestFields =
    [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
        "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
        "lat", "long", "media_url",
    ];

    public static readonly string[] CreatedFields = ["service_request_id", "service_notice", "account_id"];

    public static readonly string[] ErrorFields = ["code", "description"];

    public static (double Lat, double Lon) FreshSpot()
    {
        var n = Interlocked.Increment(ref _spot);
        return (BaseLat + (n * 0.002), BaseLon + (n * 0.001));
    }

    /// <returns>The new key's id and the key.</returns>
    public static async Task<(string Id, string Key)> IssueKeyAsync(ApiFixture api, string platform)
    {
        using var admin = await api.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");
        var created = await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = $"{platform} test", platform });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
    }

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    public static FormUrlEncodedContent Request(string apiKey, string serviceCode, double lat, double lon, params (string Name, string Value)[] more) =>
        Form([("api_key", apiKey), ("jurisdiction_id", "chaoyang.beijing"), ("service_code", serviceCode),
            ("lat", lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            ("long", lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), .. more]);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Parses the body as XML (a real parser: malformed XML fails here) and checks the spec's declaration and content type.</summary>
    public static async Task<XElement> XmlAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("utf-8", document.Declaration?.Encoding, ignoreCase: true);
        return document.Root!;
    }

    /// <summary>The one item of an XML list whose root and item elements are named as the specification shows.</summary>
    public static async Task<XElement> XmlSingleAsync(HttpResponseMessage response, int status, string root, string item)
    {
        var xml = await XmlAsync(response, status);
        Assert.Equal(root, xml.Name.LocalName);
        var single = Assert.Single(xml.Elements());
        Assert.Equal(item, single.Name.LocalName);
        return single;
    }

    /// <summary>The single service request id of a POST answer (json).</summary>
    public static async Task<string> PostedIdAsync(HttpResponseMessage response)
    {
        var created = await JsonAsync(response, 200);
        return Assert.Single(created.EnumerateArray()).GetProperty("service_request_id").GetString()!;
    }

    public static string[] Names(XElement element) => [.. element.Elements().Select(e => e.Name.LocalName)];

    public static string[] Names(JsonElement item) => [.. item.EnumerateObject().Select(p => p.Name)];

    /// <summary>The response is a spec error array (json) with these codes, each with a description.</summary>
    public static async Task ExpectErrorsAsync(int[] codes, HttpResponseMessage response, int status)
    {
        var errors = await JsonAsync(response, status);
        Assert.NotEqual(0, errors.GetArrayLength());
        foreach (var error in errors.EnumerateArray())
        {
            Assert.Equal(ErrorFields, Names(error));
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("description").GetString()));
        }
        Assert.Equal(codes, errors.EnumerateArray().Select(e => e.GetProperty("code").GetInt32()));
    }
}
