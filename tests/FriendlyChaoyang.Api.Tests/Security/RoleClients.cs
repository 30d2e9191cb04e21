namespace FriendlyChaoyang.Api.Tests.Security;

public static class RoleClients
{
    /// <summary>A client of the shared app as a fresh caller with <paramref name="role"/>: anonymous for null, operators serve jianwai.</summary>
    public static async Task<HttpClient> ClientAsAsync(this ApiFixture api, string? role) => role switch
    {
        null => api.Anonymous(),
        "operator" => await api.OperatorAsync("jianwai"),
        _ => await api.ClientForAsync($"{role}-{Guid.NewGuid():N}", role),
    };
}
