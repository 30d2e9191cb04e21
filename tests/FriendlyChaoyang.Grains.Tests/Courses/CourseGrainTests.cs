using FriendlyChaoyang.Courses;
using FriendlyChaoyang.Growth;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Courses;

/// <summary>Places, completions and the growth record of courses, on the 3-silo test cluster against PostgreSQL.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CourseGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ThreeHundredConcurrentEnrolmentsForTwentyPlacesEnrolExactlyTwenty()
    {
        var course = await CreateAsync(capacity: 20);
        var riders = Enumerable.Range(0, 300).Select(_ => NewRider()).ToList();

        var answers = await Task.WhenAll(riders.Select(r => course.EnrolAsync(r)));

        Assert.Equal(20, answers.Count(a => a.Outcome == CourseOutcome.Answered));
        Assert.Equal(280, answers.Count(a => a.Outcome == CourseOutcome.Full));
        Assert.Equal(20, (await course.GetAsync())!.Enrolled);
        // Everyone again, all at once: the enrolled are answered with their place, nobody gains one.
        var repeats = await Task.WhenAll(riders.Select(r => course.EnrolAsync(r)));
        Assert.Equal(answers.Select(a => (a.Outcome, a.Enrolment)), repeats.Select(a => (a.Outcome, a.Enrolment)));
        Assert.Equal(20, (await course.GetAsync())!.Enrolled);
        var enrolled = riders.Zip(answers).Where(p => p.Second.Outcome == CourseOutcome.Answered).Select(p => p.First).ToList();
        var records = await Task.WhenAll(enrolled.Select(r => fixture.Client.GetGrain<IGrowthGrain>(r).GetAsync()));
        Assert.All(records, r => Assert.Equal(CourseProgress.Enrolled, Assert.Single(r.Courses).Status));
    }

    [Fact]
    public async Task ACompletionNeedsAnEnrolmentAndReachesTheRidersGrowthRecordOnce()
    {
        var course = await CreateAsync(capacity: 5);
        var rider = NewRider();
        var by = new CourseOperator("op-jianwai", "jianwai");
        Assert.Equal(CourseOutcome.NotEnrolled, (await course.CompleteAsync(rider, by)).Outcome);

        await course.EnrolAsync(rider);
        var first = await course.CompleteAsync(rider, by);
        var again = await course.CompleteAsync(rider, by);

        Assert.Equal(CourseProgress.Completed, first.Enrolment!.Status);
        Assert.Equal(first.Enrolment, again.Enrolment);
        var growth = await fixture.Client.GetGrain<IGrowthGrain>(rider).GetAsync();
        var entry = Assert.Single(growth.Courses);
        Assert.Equal((CourseProgress.Completed, first.Enrolment.CompletedAt), (entry.Status, entry.CompletedAt));
        // A late enrolment delivery never moves a completed course back.
        await fixture.Client.GetGrain<IGrowthGrain>(rider).RecordCourseAsync(entry with { Status = CourseProgress.Enrolled, CompletedAt = null });
        Assert.Equal(CourseProgress.Completed, Assert.Single((await fixture.Client.GetGrain<IGrowthGrain>(rider).GetAsync()).Courses).Status);
        var notices = await fixture.Client.GetGrain<INotificationsGrain>(rider).ListAsync(0);
        Assert.Single(notices, n => n.Kind == "course_completed");
        Assert.Equal(1, (await course.GetAsync())!.Completed);
    }

    [Fact]
    public async Task OnlyTheOperatorsOfTheCoursesSubdistrictMarkCompletions()
    {
        var course = await CreateAsync(capacity: 5);
        var rider = NewRider();
        await course.EnrolAsync(rider);

        var refused = await course.CompleteAsync(rider, new CourseOperator("op-shuangjing", "shuangjing"));

        Assert.Equal(CourseOutcome.WrongSubdistrict, refused.Outcome);
        Assert.Equal(CourseProgress.Enrolled, Assert.Single((await fixture.Client.GetGrain<IGrowthGrain>(rider).GetAsync()).Courses).Status);
    }

    private async Task<ICourseGrain> CreateAsync(int capacity)
    {
        var course = fixture.Client.GetGrain<ICourseGrain>($"course-{Guid.NewGuid():N}");
        var definition = new CourseDefinition("学历提升：大专", "朝阳社区学院", DateTimeOffset.UtcNow.AddDays(7), 12, capacity);
        var created = await course.CreateAsync(new NewCourse(definition, "op-jianwai", "jianwai", "fingerprint"));
        Assert.Equal(CourseOutcome.Answered, created.Outcome);
        return course;
    }

    private static string NewRider() => $"r-{Guid.NewGuid():N}";
}
