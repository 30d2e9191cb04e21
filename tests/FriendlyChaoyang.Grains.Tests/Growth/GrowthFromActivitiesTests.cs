using FriendlyChaoyang.Activities;
using FriendlyChaoyang.Growth;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Growth;

/// <summary>Attendance recorded by activities reaches the rider's growth record once per activity.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrowthFromActivitiesTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EachAttendedActivityCountsOnceHoweverOftenTheTicketIsScanned()
    {
        var rider = $"r-{Guid.NewGuid():N}";
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var activity = fixture.Client.GetGrain<IActivityGrain>($"act-{Guid.NewGuid():N}");
            var starts = DateTimeOffset.UtcNow.AddDays(1);
            await activity.CreateAsync(new NewActivity(
                new ActivityDefinition("cy-jianwai-002", "Health clinic", ActivityKind.HealthClinic, starts, starts.AddHours(1), 10, 0), "op", "fp"));
            var ticket = (await activity.RegisterAsync(rider)).Registration!.Ticket!;
            await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => activity.RecordAttendanceAsync(ticket)));
        }

        var growth = fixture.Client.GetGrain<IGrowthGrain>(rider);
        var record = await Eventually.ReadAsync(growth.GetAsync, r => r.ActivitiesAttended >= 2);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second count would come with the next reminder tick

        Assert.Equal(2, (await growth.GetAsync()).ActivitiesAttended);
        Assert.Equal(2, record.ActivitiesAttended);
    }
}
