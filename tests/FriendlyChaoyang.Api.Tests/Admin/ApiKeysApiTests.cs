using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Security;

namespace FriendlyChaoyang.Api.Tests.Admin;

[Collection(ApiCollection.Name)]
public sealed class ApiKeysApiTests(ApiFixture api)
{
    public static readonly TheoryData<string, string, string?, HttpStatusCode> NonAdmins = Matrix();

    [Theory]
    [MemberData(nameof(NonAdmins))]
    public async Task NobodyButAnAdminReachesTheApiKeyRoutes(string method, string path, string? role, HttpStatusCode expected)
    {
        using var client = await api.ClientAsAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { name = "Meituan", platform = "meituan" });
        }

        await ProblemAssert.IsProblemAsync(await client.SendAsync(request), expected);
    }

    [Fact]
    public async Task AnAdminIssuesAKeyThatIsShownOnceListedWithoutItAndRevoked()
    {
        using var admin = await api.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");

        var created = await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "美团 Meituan", platform = "meituan" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        var key = body.GetProperty("key").GetString()!;
        Assert.StartsWith("fcpk_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 48, key);
        var listed = await admin.GetStringAsync("/api/v1/admin/api-keys");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        var entry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.False(entry.TryGetProperty("key", out _));
        Assert.Equal("meituan", entry.GetProperty("platform").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("revokedAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}")).StatusCode);
        var revoked = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/api-keys")).EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);
        await ProblemAssert.IsProblemAsync(await admin.DeleteAsync("/api/v1/admin/api-keys/ak-no-such-key"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"platform\":\"meituan\"}", "name")]
    [InlineData("{\"name\":\"\\u202eMeituan\",\"platform\":\"meituan\"}", "name")]
    [InlineData("{\"name\":\"Meituan\"}", "platform")]
    [InlineData("{\"name\":\"Meituan\",\"platform\":\"Mei Tuan\"}", "platform")]
    [InlineData("{\"name\":\"Meituan\",\"platform\":\"meituan:1\"}", "platform")]
    public async Task AKeyRequestWithoutAClearNameAndPlatformIsAValidationProblem(string json, string field)
    {
        using var admin = await api.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");

        var response = await admin.PostAsync("/api/v1/admin/api-keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    private static TheoryData<string, string, string?, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, string, string?, HttpStatusCode>();
        foreach (var (method, path) in new[] { ("POST", "/api/v1/admin/api-keys"), ("GET", "/api/v1/admin/api-keys"), ("DELETE", "/api/v1/admin/api-keys/ak-123") })
        {
            data.Add(method, path, null, HttpStatusCode.Unauthorized);
            data.Add(method, path, "rider", HttpStatusCode.Forbidden);
            data.Add(method, path, "operator", HttpStatusCode.Forbidden);
        }
        return data;
    }
}
