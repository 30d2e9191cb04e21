using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Notifications;

[Collection(ClusterCollection.Name)]
public sealed class NotificationsGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ANotificationDeliveredAgainWithTheSameCauseIsStoredOnce()
    {
        var notifications = fixture.Client.GetGrain<INotificationsGrain>($"r-{Guid.NewGuid():N}");
        var draft = new NotificationDraft("issue:iss-1:dispatched:r", "issue_dispatched", "iss-1", "The emergency team has been dispatched.");

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => notifications.AddAsync(draft)));
        await notifications.AddAsync(draft with { CauseId = "issue:iss-1:on_site:r", Kind = "issue_on_site" });

        var stored = await notifications.ListAsync(0);
        Assert.Equal(["issue_dispatched", "issue_on_site"], stored.Select(n => n.Kind).ToArray());
        Assert.Equal([1L, 2L], stored.Select(n => n.Id).ToArray());
        Assert.Equal([stored[1]], await notifications.ListAsync(1));
    }

    [Fact]
    public async Task AWaitingStreamIsAnsweredAsSoonAsANotificationArrives()
    {
        var notifications = fixture.Client.GetGrain<INotificationsGrain>($"r-{Guid.NewGuid():N}");

        var waiting = notifications.WaitAsync(0, TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await notifications.AddAsync(new NotificationDraft("test:1", "test", null, "hello"));

        var arrived = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("hello", Assert.Single(arrived).Text);
    }

    [Fact]
    public async Task OnlyTheNewestNotificationsAreKeptAndIdsKeepIncreasing()
    {
        var notifications = fixture.Client.GetGrain<INotificationsGrain>($"r-{Guid.NewGuid():N}");
        const int sent = NotificationsGrain.MaxStored + 5;

        for (var i = 1; i <= sent; i++)
        {
            await notifications.AddAsync(new NotificationDraft($"test:{i}", "test", null, $"note {i}"));
        }

        var stored = await notifications.ListAsync(0);
        Assert.Equal(NotificationsGrain.MaxStored, stored.Count);
        Assert.Equal(Enumerable.Range(6, NotificationsGrain.MaxStored).Select(i => (long)i), stored.Select(n => n.Id));
    }
}
