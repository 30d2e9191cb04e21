using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Growth;

namespace FriendlyChaoyang.Api.Tests.Courses;

/// <summary>Courses over REST: publishing, places under concurrency, completions, the growth record, bad input and replays.</summary>
[Collection(ApiCollection.Name)]
public sealed class CoursesApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task AnOperatorPublishesACourseARiderEnrolsIsMarkedCompleteAndSeesItInTheirGrowth()
    {
        using var op = await fixture.OperatorAsync("jianwai");
        var course = await PublishAsync(op, Course(capacity: 10));
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);

        var enrolled = await rider.PostAsync($"/api/v1/courses/{course.Id()}/enrolments", null);
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        Assert.Equal("enrolled", (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var completed = await op.PostAsJsonAsync($"/api/v1/courses/{course.Id()}/completions", new { riderId });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        var growth = await rider.GrowthAsync();
        var entry = Assert.Single(growth.GetProperty("courses").EnumerateArray());
        Assert.Equal((course.Id(), "学历提升：大专", "completed"),
            (entry.GetProperty("id").GetString(), entry.GetProperty("title").GetString(), entry.GetProperty("status").GetString()));
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("completedAt").ValueKind);
        var listed = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/api/v1/courses?pageSize=100");
        var view = listed.EnumerateArray().Single(c => c.Id() == course.Id());
        Assert.Equal((1, 1), (view.GetProperty("enrolled").GetInt32(), view.GetProperty("completed").GetInt32()));
    }

    [Fact]
    public async Task ThreeHundredParallelEnrolmentsOverHttpFillTwentyPlacesAndNoMore()
    {
        using var op = await fixture.OperatorAsync("jianwai");
        var course = await PublishAsync(op, Course(capacity: 20));
        var riders = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => fixture.RiderAsync()));

        var answers = await Task.WhenAll(riders.Select(r => r.PostAsync($"/api/v1/courses/{course.Id()}/enrolments", null)));

        Assert.Equal(20, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(280, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var listed = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/api/v1/courses?pageSize=100");
        Assert.Equal(20, listed.EnumerateArray().Single(c => c.Id() == course.Id()).GetProperty("enrolled").GetInt32());
        foreach (var rider in riders)
        {
            rider.Dispose();
        }
    }

    [Fact]
    public async Task ARepeatedEnrolmentIsTheSame201EvenWhenFullWhileANewcomerGets409()
    {
        using var op = await fixture.OperatorAsync("jianwai");
        var course = await PublishAsync(op, Course(capacity: 1));
        using var first = await fixture.RiderAsync();
        using var second = await fixture.RiderAsync();

        var enrolled = await (await first.PostAsync($"/api/v1/courses/{course.Id()}/enrolments", null)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await first.PostAsync($"/api/v1/courses/{course.Id()}/enrolments", null);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(enrolled.GetProperty("enrolledAt").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enrolledAt").GetString());
        await ProblemAssert.IsProblemAsync(await second.PostAsync($"/api/v1/courses/{course.Id()}/enrolments", null), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await first.PostAsync("/api/v1/courses/course-none/enrolments", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OnlyEnrolledRidersAreCompletedAndOnlyByTheCoursesSubdistrict()
    {
        using var op = await fixture.OperatorAsync("jianwai");
        using var otherOp = await fixture.OperatorAsync("shuangjing");
        var course = await PublishAsync(op, Course(capacity: 5));
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);

        await ProblemAssert.IsValidationProblemAsync(await op.PostAsJsonAsync($"/api/v1/courses/{course.Id()}/completions", new { riderId }), "riderId");
        await rider.PostAsync($"/api/v1/courses/{course.Id()}/enrolments", null);
        await ProblemAssert.IsProblemAsync(await otherOp.PostAsJsonAsync($"/api/v1/courses/{course.Id()}/completions", new { riderId }), HttpStatusCode.Forbidden);

        Assert.Equal("enrolled", Assert.Single((await rider.GrowthAsync()).GetProperty("courses").EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task BadCoursesAreRefusedNamingTheFieldAndNothingIsStored()
    {
        using var admin = await fixture.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");
        var before = await fixture.StoredAsync("course");
        var cases = new (object Body, string Field)[]
        {
            (Course(title: ""), "title"),
            (Course(title: new string('课', 201)), "title"),
            (Course(title: "Bad\u202E"), "title"),
            (Course(provider: null), "provider"),
            (Course(sessions: 0), "sessions"),
            (Course(capacity: 0), "capacity"),
            (Course(capacity: 10_001), "capacity"),
            (new { title = "t", provider = "p", sessions = 1, capacity = 1 }, "startsAt"),
        };
        foreach (var (body, field) in cases)
        {
            await ProblemAssert.IsValidationProblemAsync(await admin.PostAsJsonAsync("/api/v1/courses", body), field);
        }
        Assert.Equal(before, await fixture.StoredAsync("course"));

        var key = $"key-{Guid.NewGuid():N}";
        var first = await admin.PostWithKeyAsync("/api/v1/courses", Course(capacity: 3), key);
        var repeat = await admin.PostWithKeyAsync("/api/v1/courses", Course(capacity: 3), key);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).Id(), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).Id());
        await ProblemAssert.IsProblemAsync(await admin.PostWithKeyAsync("/api/v1/courses", Course(capacity: 4), key), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before + 1, await fixture.StoredAsync("course"));
    }

    private static async Task<JsonElement> PublishAsync(HttpClient op, object course)
    {
        var response = await op.PostAsJsonAsync("/api/v1/courses", course);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static object Course(string? title = "学历提升：大专", string? provider = "朝阳社区学院", int sessions = 12, int capacity = 30) =>
        new { title, provider, startsAt = "2030-05-01T19:00:00+08:00", sessions, capacity };
}
