using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Activities;
using FriendlyChaoyang.Api.Tests.Housing;
using FriendlyChaoyang.Api.Tests.Courses;
using FriendlyChaoyang.Api.Tests.Growth;
using FriendlyChaoyang.Api.Tests.Issues;
using FriendlyChaoyang.Points;

namespace FriendlyChaoyang.Api.Tests.Security;

/// <summary>
/// Every route against every kind of caller, as one table (README "Security" shows the same table). "ok" means the
/// caller is let through (any answer but 401, 403, 404 or a 5xx: a 409 for a rider not checked in is still access);
/// 401, 403 and 404 must be exactly that. A 404 hides that something exists from a caller who may not see it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFixture api)
{
    private const string Station = "cy-jianwai-001";

    /// <summary>The table's columns, in order.</summary>
    private static readonly string[] Callers = ["anonymous", "own rider", "other rider", "operator", "other operator", "manager", "admin"];

    private static IEnumerable<(string Route, string Expected, Func<Scene, HttpClient, Task<HttpResponseMessage>> Send)> Table() =>
    [
        ("GET /healthz",                                  "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/healthz")),
        ("GET /openapi/v1.json",                          "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/openapi/v1.json")),
        ("POST /api/v1/dev/tokens",                       "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.PostAsJsonAsync("/api/v1/dev/tokens", new { subject = "x", role = "rider" })),
        ("GET /api/v1/issue-categories",                  "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/api/v1/issue-categories")),
        ("GET /api/v1/rewards",                           "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/api/v1/rewards")),
        ("GET /api/v1/subdistricts",                      "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/api/v1/subdistricts")),
        ("GET /api/v1/stations/nearby",                   "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/api/v1/stations/nearby?lat=39.9076&lon=116.4566")),
        ("GET /api/v1/stations/{id}",                     "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync($"/api/v1/stations/{Station}")),
        ("POST /api/v1/stations/{id}/check-ins",          "401 ok  ok  403 403 403 403", (_, c) => c.PostAsync($"/api/v1/stations/{Station}/check-ins", null)),
        ("POST /api/v1/stations/{id}/check-out",          "401 ok  ok  403 403 403 403", (_, c) => c.PostAsync($"/api/v1/stations/{Station}/check-out", null)),
        ("GET /api/v1/riders/me",                         "401 ok  ok  403 403 403 403", (_, c) => c.GetAsync("/api/v1/riders/me")),
        ("PUT /api/v1/riders/me",                         "401 ok  ok  403 403 403 403", (_, c) => c.PutAsJsonAsync("/api/v1/riders/me", new { displayName = "Li", platform = "meituan", kind = "delivery" })),
        ("GET /api/v1/riders/me/notifications",           "401 ok  ok  403 403 403 403", (_, c) => c.GetAsync("/api/v1/riders/me/notifications")),
        ("GET /api/v1/riders/me/notifications/stream",    "401 ok  ok  403 403 403 403", (_, c) => c.GetAsync("/api/v1/riders/me/notifications/stream", HttpCompletionOption.ResponseHeadersRead)),
        ("GET /api/v1/riders/me/points",                  "401 ok  ok  403 403 403 403", (_, c) => c.GetAsync("/api/v1/riders/me/points")),
        ("POST /api/v1/issues",                           "401 ok  ok  403 403 403 403", (_, c) => c.PostAsync("/api/v1/issues", NewReport())),
        ("GET /api/v1/issues/{id}",                       "401 ok  ok  ok  ok  ok  ok ", (s, c) => c.GetAsync($"/api/v1/issues/{s.IssueId}")),
        ("GET /api/v1/issues/{id}/photo",                 "401 ok  404 ok  404 404 ok ", (s, c) => c.GetAsync($"/api/v1/issues/{s.IssueId}/photo")),
        ("POST /api/v1/issues/{id}/transitions",          "401 403 403 ok  403 403 403", (s, c) => c.PostAsJsonAsync($"/api/v1/issues/{s.IssueId}/transitions", new { to = "dispatched" })),
        ("GET /api/v1/operator/issues",                   "401 403 403 ok  ok  403 403", (_, c) => c.GetAsync("/api/v1/operator/issues")),
        ("GET /api/v1/operator/notifications",            "401 403 403 ok  ok  403 403", (_, c) => c.GetAsync("/api/v1/operator/notifications")),
        ("GET /api/v1/operator/notifications/stream",     "401 403 403 ok  ok  403 403", (_, c) => c.GetAsync("/api/v1/operator/notifications/stream", HttpCompletionOption.ResponseHeadersRead)),
        ("POST /api/v1/redemptions",                      "401 ok  ok  403 403 403 403", (_, c) => c.PostAsJsonAsync("/api/v1/redemptions", new { rewardId = "laundry" })),
        ("GET /api/v1/redemptions/{code}",                "401 ok  404 ok  403 403 403", (s, c) => c.GetAsync($"/api/v1/redemptions/{s.VoucherCode}")),
        ("POST /api/v1/redemptions/{code}/confirm",       "401 403 403 ok  403 403 403", (s, c) => c.PostAsync($"/api/v1/redemptions/{s.VoucherCode}/confirm", null)),
        ("DELETE /api/v1/redemptions/{code}",             "401 ok  404 403 403 403 403", (s, c) => c.DeleteAsync($"/api/v1/redemptions/{s.VoucherCode}")),
        ("POST /api/v1/stations/{id}/polls",              "401 403 403 ok  403 ok  403", (s, c) => c.PostAsJsonAsync($"/api/v1/stations/{s.StaffStation}/polls", NewPoll())),
        ("GET /api/v1/stations/{id}/polls",               "ok  ok  ok  ok  ok  ok  ok ", (s, c) => c.GetAsync($"/api/v1/stations/{s.StaffStation}/polls")),
        ("GET /api/v1/polls/{id}",                        "ok  ok  ok  ok  ok  ok  ok ", (s, c) => c.GetAsync($"/api/v1/polls/{s.PollId}")),
        ("POST /api/v1/polls/{id}/votes",                 "401 ok  ok  403 403 403 403", (s, c) => c.PostAsJsonAsync($"/api/v1/polls/{s.PollId}/votes", new { option = 0 })),
        ("POST /api/v1/stations/{id}/books",              "401 403 403 ok  403 ok  403", (s, c) => c.PostAsJsonAsync($"/api/v1/stations/{s.StaffStation}/books", new { title = "Matrix" })),
        ("GET /api/v1/stations/{id}/books",               "ok  ok  ok  ok  ok  ok  ok ", (s, c) => c.GetAsync($"/api/v1/stations/{s.StaffStation}/books")),
        ("GET /api/v1/books/{id}",                        "ok  ok  ok  ok  ok  ok  ok ", (s, c) => c.GetAsync($"/api/v1/books/{s.BookId}")),
        ("POST /api/v1/books/{id}/loans",                 "401 ok  ok  403 403 403 403", (s, c) => c.PostAsync($"/api/v1/books/{s.BookId}/loans", null)),
        ("POST /api/v1/books/{id}/return",                "401 ok  403 ok  403 ok  403", async (s, c) =>
        {
            // The own rider borrows it again before each caller tries, so every caller meets a lent book.
            await s.Clients[1].PostAsync($"/api/v1/books/{s.BookId}/loans", null);
            return await c.PostAsJsonAsync($"/api/v1/books/{s.BookId}/return", new { stationId = s.StaffStation });
        }),
        ("PUT /api/v1/stations/{id}/managers",            "401 403 403 ok  403 403 ok ", (s, c) => c.PutAsJsonAsync($"/api/v1/stations/{s.StaffStation}/managers", Managers(s.StaffStation))),
        ("POST /api/v1/stations/{id}/activities",         "401 403 403 ok  403 ok  403", (s, c) => c.PostAsJsonAsync($"/api/v1/stations/{s.StaffStation}/activities", ActivitiesApiTests.Activity())),
        ("GET /api/v1/activities",                        "ok  ok  ok  ok  ok  ok  ok ", (s, c) => c.GetAsync($"/api/v1/activities?stationId={s.StaffStation}")),
        ("POST /api/v1/activities/{id}/registrations",    "401 ok  ok  403 403 403 403", (s, c) => c.PostAsync($"/api/v1/activities/{s.ActivityId}/registrations", null)),
        ("GET /api/v1/activities/{id}/registrations/me/ticket.svg", "401 ok  ok  403 403 403 403", (s, c) => c.GetAsync($"/api/v1/activities/{s.ActivityId}/registrations/me/ticket.svg")),
        ("POST /api/v1/activities/{id}/registrations/me/accept", "401 ok  ok  403 403 403 403", (s, c) => c.PostAsync($"/api/v1/activities/{s.ActivityId}/registrations/me/accept", null)),
        ("POST /api/v1/activities/{id}/attendance",       "401 403 403 ok  403 ok  403", (s, c) => c.PostAsJsonAsync($"/api/v1/activities/{s.ActivityId}/attendance", new { ticket = s.Ticket })),
        ("DELETE /api/v1/activities/{id}/registrations/me", "401 ok  ok  403 403 403 403", (s, c) => c.DeleteAsync($"/api/v1/activities/{s.ActivityId}/registrations/me")),
        ("POST /api/v1/housing/apartments",               "401 403 403 ok  403 403 403", (s, c) => c.PostAsJsonAsync("/api/v1/housing/apartments", HousingSteps.Apartment(lat: s.Home.Lat, lon: s.Home.Lon))),
        ("GET /api/v1/housing/apartments",                "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/api/v1/housing/apartments?lat=39.9066&lon=116.4494")),
        ("GET /api/v1/housing/apartments/{id}",           "ok  ok  ok  ok  ok  ok  ok ", (s, c) => c.GetAsync($"/api/v1/housing/apartments/{s.ApartmentId}")),
        ("POST /api/v1/housing/applications",             "401 ok  ok  403 403 403 403", (s, c) => c.ApplyAsync(s.ApartmentId)),
        ("POST /api/v1/housing/applications/{id}/accept", "401 ok  404 403 403 403 403", (s, c) => c.PostAsync($"/api/v1/housing/applications/{s.ApplicationId}/accept", null)),
        ("DELETE /api/v1/housing/applications/{id}",      "401 ok  404 403 403 403 403", (s, c) => c.DeleteAsync($"/api/v1/housing/applications/{s.ApplicationId}")),
        ("GET /api/v1/riders/me/housing",                 "401 ok  ok  403 403 403 403", (_, c) => c.GetAsync("/api/v1/riders/me/housing")),
        ("POST /api/v1/housing/tenancies/{id}/move-out",  "401 ok  403 ok  403 403 403", (s, c) => c.PostAsync($"/api/v1/housing/tenancies/{s.TenancyId}/move-out", null)),
        ("POST /api/v1/courses",                         "401 403 403 ok  ok  403 ok ", (_, c) => c.PostAsJsonAsync("/api/v1/courses", CoursesApiTests.Course())),
        ("GET /api/v1/courses",                          "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/api/v1/courses")),
        ("POST /api/v1/courses/{id}/enrolments",         "401 ok  ok  403 403 403 403", (s, c) => c.PostAsync($"/api/v1/courses/{s.Growth.CourseId}/enrolments", null)),
        ("POST /api/v1/courses/{id}/completions",        "401 403 403 ok  403 403 403", (s, c) => c.PostAsJsonAsync($"/api/v1/courses/{s.Growth.CourseId}/completions", new { riderId = s.Growth.OwnRiderId })),
        ("GET /api/v1/riders/me/growth",                 "401 ok  ok  403 403 403 403", (_, c) => c.GetAsync("/api/v1/riders/me/growth")),
        ("POST /api/v1/wishes",                          "401 ok  ok  403 403 403 403", (s, c) => c.PostAsJsonAsync("/api/v1/wishes", new { text = "Matrix", kind = "other", subdistrictId = "jianwai" })),
        ("GET /api/v1/wishes",                           "401 ok  ok  ok  ok  403 403", (_, c) => c.GetAsync("/api/v1/wishes")),
        ("GET /api/v1/wishes/{id}",                      "401 ok  404 ok  403 403 403", (s, c) => c.GetAsync($"/api/v1/wishes/{s.Growth.WishId}")),
        ("POST /api/v1/wishes/{id}/claim",               "401 403 403 ok  403 403 403", (s, c) => c.PostAsync($"/api/v1/wishes/{s.Growth.WishId}/claim", null)),
        ("POST /api/v1/wishes/{id}/fulfil",              "401 403 403 ok  403 403 403", (s, c) => c.PostAsync($"/api/v1/wishes/{s.Growth.WishId}/fulfil", null)),
        ("POST /api/v1/wishes/{id}/confirm",             "401 ok  404 403 403 403 403", (s, c) => c.PostAsync($"/api/v1/wishes/{s.Growth.WishId}/confirm", null)),
        ("POST /api/v1/wishes/{id}/reject",              "401 403 403 ok  403 403 403", (s, c) => c.PostAsJsonAsync($"/api/v1/wishes/{s.Growth.WishId}/reject", new { note = "Matrix" })),
        ("POST /api/v1/riders/{riderId}/commendations",  "401 403 403 ok  ok  403 403", (s, c) => c.PostAsJsonAsync($"/api/v1/riders/{s.Growth.OwnRiderId}/commendations", new { kind = "good_deed", text = "Matrix" })),
        ("DELETE /api/v1/riders/{riderId}/commendations/{id}", "401 403 403 ok  403 403 403", (s, c) => c.DeleteAsync($"/api/v1/riders/{s.Growth.OwnRiderId}/commendations/{s.Growth.CommendationId}")),
        ("GET /api/v1/riders/me/commendations",          "401 ok  ok  403 403 403 403", (_, c) => c.GetAsync("/api/v1/riders/me/commendations")),
        ("GET /api/v1/commendations",                    "ok  ok  ok  ok  ok  ok  ok ", (_, c) => c.GetAsync("/api/v1/commendations?subdistrict=jianwai")),
        // Partner routes take an api key only (tests/.../Ports/PortFeedsApiTests: own partner, other partner): every bearer token is 401.
        ("PUT /api/v1/partners/stations/{id}/ports",      "401 401 401 401 401 401 401", (_, c) => c.PutAsJsonAsync($"/api/v1/partners/stations/{Station}/ports", PortFeed())),
        ("PATCH /api/v1/partners/stations/{id}/ports",    "401 401 401 401 401 401 401", (_, c) => c.PatchAsJsonAsync($"/api/v1/partners/stations/{Station}/ports", PortFeed())),
        ("GET /api/v1/partners/reservations",             "401 401 401 401 401 401 401", (_, c) => c.GetAsync("/api/v1/partners/reservations")),
        ("POST /api/v1/stations/{id}/port-reservations",  "401 ok  ok  403 403 403 403", (_, c) => c.PostAsJsonAsync($"/api/v1/stations/{Station}/port-reservations", new { kind = "swap" })),
        ("DELETE /api/v1/stations/{id}/port-reservations/{rid}", "401 404 404 403 403 403 403", (_, c) => c.DeleteAsync($"/api/v1/stations/{Station}/port-reservations/pr-matrix")),
        ("POST /api/v1/admin/api-keys",                   "401 403 403 403 403 403 ok ", (_, c) => c.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "Matrix", platform = "meituan" })),
        ("GET /api/v1/admin/api-keys",                    "401 403 403 403 403 403 ok ", (_, c) => c.GetAsync("/api/v1/admin/api-keys")),
        ("DELETE /api/v1/admin/api-keys/{id}",            "401 403 403 403 403 403 ok ", (s, c) => c.DeleteAsync($"/api/v1/admin/api-keys/{s.ApiKeyId}")),
        ("GET /api/v1/admin/overdue",                     "401 403 403 403 403 403 ok ", (_, c) => c.GetAsync("/api/v1/admin/overdue")),
        ("GET /dashboard/",                               "401 403 403 403 403 403 ok ", (_, c) => c.GetAsync("/dashboard/")),
        ("GET /metrics",                                  "401 403 403 403 403 403 ok ", (_, c) => c.GetAsync("/metrics")),
    ];

    [Fact]
    public async Task EveryRouteLetsInExactlyTheCallersItShould()
    {
        var scene = await SceneAsync();
        var mismatches = new List<string>();
        foreach (var (route, expected, send) in Table())
        {
            var cells = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Callers.Length, cells.Length);
            for (var i = 0; i < Callers.Length; i++)
            {
                using var response = await send(scene, scene.Clients[i]);
                var status = (int)response.StatusCode;
                var seen = status is 401 or 403 or 404 || status >= 500 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "ok";
                if (seen != cells[i])
                {
                    mismatches.Add($"{route} as {Callers[i]}: expected {cells[i]}, got {status}");
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    /// <summary>One of everything the table needs: an issue reported by the own rider, a voucher of it, an api key, a poll and a book.</summary>
    private async Task<Scene> SceneAsync()
    {
        var ownId = $"matrix-own-{Guid.NewGuid():N}";
        var own = await api.RiderAsync(ownId);
        var receipt = await (await own.PostAsync("/api/v1/issues", NewReport())).Content.ReadFromJsonAsync<JsonElement>();
        var subdistrict = receipt.GetProperty("subdistrictId").GetString()!;
        var otherSubdistrict = subdistrict == "jianwai" ? "shuangjing" : "jianwai";

        await api.Cluster.Client.GetGrain<IPointsLedgerGrain>(ownId)
            .CreditAsync(new LedgerCredit($"test:{Guid.NewGuid():N}", 100, "test_grant", "test"));
        var voucher = await (await own.PostAsJsonAsync("/api/v1/redemptions", new { rewardId = "laundry", subdistrictId = subdistrict }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var admin = await api.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");
        // Station life runs at a station of the operator's subdistrict, whose appointed manager is the manager column.
        var staffStation = $"cy-{subdistrict}-001";
        await api.AppointAsync(staffStation);
        var manager = await api.ManagerAsync(staffStation);
        var poll = await (await manager.PostAsJsonAsync($"/api/v1/stations/{staffStation}/polls", NewPoll())).Content.ReadFromJsonAsync<JsonElement>();
        var book = await (await manager.PostAsJsonAsync($"/api/v1/stations/{staffStation}/books", new { title = "Matrix" })).Content.ReadFromJsonAsync<JsonElement>();
        var activityId = (await api.PublishAsync(staffStation, ActivitiesApiTests.Activity())).GetProperty("id").GetString()!;
        var registration = await (await own.PostAsync($"/api/v1/activities/{activityId}/registrations", null)).Content.ReadFromJsonAsync<JsonElement>();
        var key = await (await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "Matrix", platform = "eleme" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        // The own rider holds a bed in an apartment at the centre of the operator's subdistrict.
        var centre = (await api.Anonymous().GetFromJsonAsync<JsonElement[]>("/api/v1/subdistricts"))!.Single(d => d.GetProperty("id").GetString() == subdistrict);
        var home = (centre.GetProperty("lat").GetDouble(), centre.GetProperty("lon").GetDouble());
        var apartmentId = await api.ListApartmentAsync(HousingSteps.Apartment(lat: home.Item1, lon: home.Item2), subdistrict);
        var application = await (await own.ApplyAsync(apartmentId)).Content.ReadFromJsonAsync<JsonElement>();
        var applicationId = application.GetProperty("id").GetString()!;
        var allocation = await (await own.PostAsync($"/api/v1/housing/applications/{applicationId}/accept", null)).Content.ReadFromJsonAsync<JsonElement>();

        var growth = await GrowthMatrixScene.CreateAsync(api, own, ownId, subdistrict);

        HttpClient[] clients =
        [
            api.Anonymous(),
            own,
            await api.RiderAsync(),
            await api.OperatorAsync(subdistrict),
            await api.OperatorAsync(otherSubdistrict),
            manager,
            admin,
        ];
        return new Scene(clients, receipt.GetProperty("id").GetString()!, voucher.GetProperty("code").GetString()!, key.GetProperty("id").GetString()!,
            staffStation, poll.GetProperty("id").GetString()!, book.GetProperty("id").GetString()!, activityId, registration.GetProperty("ticket").GetString()!,
            home, apartmentId, applicationId, allocation.GetProperty("tenancyId").GetString()!, growth);
    }

    private static MultipartFormDataContent NewReport()
    {
        var (lat, lon) = IssuesApiTests.FreshSpot();
        return IssuesApiTests.Report("pothole", lat, lon, "matrix", TestPhotos.JpegWithExif(), "a.jpg");
    }

    private static object PortFeed() => new { ports = new[] { new { portId = "matrix", kind = "swap", status = "charged", at = DateTimeOffset.UtcNow } } };

    private static object NewPoll() => new { question = "Matrix?", options = new[] { "Yes", "No" }, closesAt = DateTimeOffset.UtcNow.AddDays(1) };

    /// <summary>Keeps the manager column's subject appointed, whoever appoints.</summary>
    private static object Managers(string station) => new { community = new { subject = $"mgr-{station}", name = "Matrix" } };

    /// <param name="StaffStation">A station in the operator's subdistrict, run by the manager column.</param>
    private sealed record Scene(
        HttpClient[] Clients, string IssueId, string VoucherCode, string ApiKeyId, string StaffStation, string PollId, string BookId, string ActivityId, string Ticket,
        (double Lat, double Lon) Home, string ApartmentId, string ApplicationId, string TenancyId, GrowthMatrixScene Growth);
}
