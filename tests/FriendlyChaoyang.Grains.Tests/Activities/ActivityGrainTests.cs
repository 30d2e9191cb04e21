using FriendlyChaoyang.Activities;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Activities;

/// <summary>Seats, the waitlist, offers and attendance of one activity grain, on the 3-silo test cluster against PostgreSQL.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ActivityGrainTests(ClusterFixture fixture)
{
    private const string Station = "cy-shuangjing-003";

    [Fact]
    public async Task FiveHundredConcurrentRegistrationsForThirtySeatsSeatThirtyAndQueueTheRestInArrivalOrder()
    {
        var activity = await CreateAsync(capacity: 30);
        var riders = Enumerable.Range(0, 500).Select(i => $"r-{i:D3}-{Guid.NewGuid():N}").ToList();

        var answers = await Task.WhenAll(riders.Select(r => activity.RegisterAsync(r)));

        var registered = answers.Where(a => a.Registration!.Status == RegistrationStatus.Registered).ToList();
        var waitlisted = answers.Where(a => a.Registration!.Status == RegistrationStatus.Waitlisted).ToList();
        Assert.Equal(30, registered.Count);
        Assert.Equal(30, registered.Select(a => a.Registration!.Ticket).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 470), waitlisted.Select(a => a.Registration!.Position!.Value).Order());
        var view = await activity.GetAsync();
        Assert.Equal((30, 470), (view!.Registered, view.Waitlisted));

        // Every rider registering again (all at once) is answered where they stand: nobody gets a second place.
        var repeats = await Task.WhenAll(riders.Select(r => activity.RegisterAsync(r)));
        Assert.Equal(answers.Select(a => a.Registration), repeats.Select(a => a.Registration));
        view = await activity.GetAsync();
        Assert.Equal((30, 470), (view!.Registered, view.Waitlisted));

        // The line is served in the order the grain received it: three freed seats go to positions 1-3, and 4 moves up to 1.
        var byPosition = riders.Zip(answers).Where(p => p.Second.Registration!.Position is not null)
            .ToDictionary(p => p.Second.Registration!.Position!.Value, p => p.First);
        var seated = riders.Zip(answers).Where(p => p.Second.Registration!.Ticket is not null).Select(p => p.First).Take(3).ToList();
        foreach (var rider in seated)
        {
            await activity.CancelAsync(rider);
        }
        foreach (var position in new[] { 1, 2, 3 })
        {
            Assert.Equal(RegistrationStatus.Offered, (await activity.GetRegistrationAsync(byPosition[position])).Registration!.Status);
        }
        Assert.Equal(1, (await activity.GetRegistrationAsync(byPosition[4])).Registration!.Position);
        Assert.Equal(467, (await activity.GetRegistrationAsync(byPosition[470])).Registration!.Position);
    }

    [Fact]
    public async Task ACancelledSeatIsOfferedToTheFirstRiderWaitingWhoIsNotifiedAndCanTakeIt()
    {
        var activity = await CreateAsync(capacity: 1);
        var (first, second, third) = (NewRider(), NewRider(), NewRider());
        await activity.RegisterAsync(first);
        await activity.RegisterAsync(second);
        await activity.RegisterAsync(third);

        Assert.Equal(RegistrationOutcome.NoOffer, (await activity.AcceptAsync(second)).Outcome);
        await activity.CancelAsync(first);

        var offered = (await activity.GetRegistrationAsync(second)).Registration!;
        Assert.Equal(RegistrationStatus.Offered, offered.Status);
        Assert.Equal(1, (await activity.GetRegistrationAsync(third)).Registration!.Position);
        var notes = await Eventually.ReadAsync(() => fixture.Client.GetGrain<INotificationsGrain>(second).ListAsync(0), n => n.Count > 0);
        Assert.Equal("activity_seat_offered", Assert.Single(notes).Kind);

        var accepted = (await activity.AcceptAsync(second)).Registration!;
        Assert.Equal(RegistrationStatus.Registered, accepted.Status);
        Assert.NotNull(accepted.Ticket);
        Assert.Equal(accepted, (await activity.AcceptAsync(second)).Registration);
        Assert.Equal(RegistrationOutcome.NotRegistered, (await activity.GetRegistrationAsync(first)).Outcome);
    }

    [Fact]
    public async Task AnOfferNobodyAcceptsExpiresOnItsReminderAndPassesToTheNextRiderInLine()
    {
        var activity = await CreateAsync(capacity: 1);
        var (first, second, third) = (NewRider(), NewRider(), NewRider());
        foreach (var rider in new[] { first, second, third })
        {
            await activity.RegisterAsync(rider);
        }
        await activity.CancelAsync(first);
        Assert.Equal(RegistrationStatus.Offered, (await activity.GetRegistrationAsync(second)).Registration!.Status);

        // No call reaches the activity meanwhile: only its reminder can move the offer on.
        var passedOn = await Eventually.ReadAsync(() => fixture.Client.GetGrain<INotificationsGrain>(third).ListAsync(0), n => n.Count > 0, seconds: 20);
        Assert.Equal("activity_seat_offered", Assert.Single(passedOn).Kind);
        Assert.Equal(RegistrationStatus.Offered, (await activity.GetRegistrationAsync(third)).Registration!.Status);
        Assert.Equal(RegistrationOutcome.NotRegistered, (await activity.GetRegistrationAsync(second)).Outcome);
        Assert.Equal(RegistrationOutcome.NotRegistered, (await activity.AcceptAsync(second)).Outcome);
        var told = await fixture.Client.GetGrain<INotificationsGrain>(second).ListAsync(0);
        Assert.Equal(["activity_seat_offered", "activity_offer_expired"], told.Select(n => n.Kind));
    }

    [Fact]
    public async Task AnOfferStillExpiresAndPassesOnWhenTheSiloHoldingTheActivityDies()
    {
        var activity = await CreateAsync(capacity: 1);
        var (first, second, third) = (NewRider(), NewRider(), NewRider());
        foreach (var rider in new[] { first, second, third })
        {
            await activity.RegisterAsync(rider);
        }
        await activity.CancelAsync(first);
        var host = await fixture.HostOfAsync(activity);

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        try
        {
            // The offer lives in PostgreSQL and so does the reminder: another silo's reminder service takes it over.
            var passedOn = await Eventually.ReadAsync(() => fixture.Client.GetGrain<INotificationsGrain>(third).ListAsync(0), n => n.Count > 0, seconds: 60);
            Assert.Equal("activity_seat_offered", Assert.Single(passedOn).Kind);
            Assert.Equal(RegistrationStatus.Offered, (await activity.GetRegistrationAsync(third)).Registration!.Status);
            Assert.Equal(RegistrationOutcome.NotRegistered, (await activity.GetRegistrationAsync(second)).Outcome);
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Fact]
    public async Task AnOfferNeverOutlastsTheStartAndNobodyRegistersOnceItHasStarted()
    {
        var startsAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var activity = await CreateAsync(capacity: 1, startsAt: startsAt);
        var (first, second) = (NewRider(), NewRider());
        await activity.RegisterAsync(first);
        await activity.RegisterAsync(second);
        await activity.CancelAsync(first);

        Assert.Equal(startsAt, (await activity.GetRegistrationAsync(second)).Registration!.OfferExpiresAt);
        await Task.Delay(startsAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        Assert.Equal(RegistrationOutcome.Started, (await activity.RegisterAsync(NewRider())).Outcome);
        // Whether the reminder or this call expires the offer, the rider has left the line.
        Assert.Equal(RegistrationOutcome.NotRegistered, (await activity.AcceptAsync(second)).Outcome);
    }

    [Fact]
    public async Task ScanningATicketTwiceRecordsOneAttendanceAndPaysThePointsOnce()
    {
        var activity = await CreateAsync(capacity: 5, points: 7);
        var rider = NewRider();
        var ticket = (await activity.RegisterAsync(rider)).Registration!.Ticket!;

        var first = await activity.RecordAttendanceAsync(ticket);
        var second = await activity.RecordAttendanceAsync(ticket);

        Assert.Equal((AttendanceOutcome.Recorded, rider, true), (first.Outcome, first.RiderId, first.FirstScan));
        Assert.Equal((AttendanceOutcome.Recorded, rider, false), (second.Outcome, second.RiderId, second.FirstScan));
        Assert.Equal(first.AttendedAt, second.AttendedAt);
        Assert.Equal(AttendanceOutcome.UnknownTicket, (await activity.RecordAttendanceAsync("0123456789abcdef0123456789abcdef")).Outcome);
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(rider);
        var summary = await Eventually.ReadAsync(ledger.GetSummaryAsync, s => s.Balance > 0);
        Assert.Equal(7, summary.Balance);
        var entry = Assert.Single((await ledger.GetPageAsync(1, 10)).Entries);
        Assert.Equal(("activity_attended", activity.GetPrimaryKeyString()), (entry.Reason, entry.Ref));
    }

    private async Task<IActivityGrain> CreateAsync(int capacity, int points = 0, DateTimeOffset? startsAt = null)
    {
        var starts = startsAt ?? DateTimeOffset.UtcNow.AddDays(1);
        var activity = fixture.Client.GetGrain<IActivityGrain>($"act-{Guid.NewGuid():N}");
        var definition = new ActivityDefinition(Station, "Safety talk", ActivityKind.SafetyTalk, starts, starts.AddHours(1), capacity, points);
        var created = await activity.CreateAsync(new NewActivity(definition, "op-shuangjing", "fingerprint"));
        Assert.Equal(CreateActivityOutcome.Created, created.Outcome);
        return activity;
    }

    private static string NewRider() => $"r-{Guid.NewGuid():N}";
}
