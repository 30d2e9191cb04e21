using FriendlyChaoyang.Housing;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Housing.Apartments;

namespace FriendlyChaoyang.Tests.Housing;

/// <summary>Listing apartments, the line, offers, allocation and move-out, on the 3-silo test cluster against PostgreSQL.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApartmentGrainTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task AListingOutsideTheRentBandOrInAnotherSubdistrictIsRefusedAndStoresNothing()
    {
        var (lat, lon, subdistrict) = FreshSpot();
        var apartment = Client.GetGrain<IApartmentGrain>($"apt-{Guid.NewGuid():N}");

        var cheap = await apartment.CreateAsync(New(lat, lon, rent: 599, beds: 2));
        var dear = await apartment.CreateAsync(New(lat, lon, rent: 1201, beds: 2));
        var elsewhere = await apartment.CreateAsync(New(lat, lon, rent: 700, beds: 2, operatorSubdistrict: subdistrict == "jianwai" ? "chaowai" : "jianwai"));

        Assert.Equal((CreateApartmentOutcome.RentOutsideBand, new RentBand(600, 1200)), (cheap.Outcome, cheap.Band));
        Assert.Equal(CreateApartmentOutcome.RentOutsideBand, dear.Outcome);
        Assert.Equal((CreateApartmentOutcome.NotYourSubdistrict, subdistrict), (elsewhere.Outcome, elsewhere.SubdistrictId));
        Assert.Null(await apartment.GetAsync());
        Assert.DoesNotContain(await FindAsync(lat, lon, 500), a => a.Id == apartment.GetPrimaryKeyString());

        // Nothing was stored under the id: a valid listing with it is new, and its repeat answers the same.
        var listed = await apartment.CreateAsync(New(lat, lon, rent: 1200, beds: 2));
        Assert.Equal((CreateApartmentOutcome.Created, subdistrict), (listed.Outcome, listed.Apartment!.SubdistrictId));
        Assert.Equal(new BedCount(2, 2), listed.Apartment.Beds);
        Assert.Equal(["wifi", "laundry"], listed.Apartment.Amenities);
        var repeated = (await apartment.CreateAsync(New(lat, lon, rent: 1200, beds: 2))).Apartment!;
        Assert.Equal((listed.Apartment.Id, listed.Apartment.Beds), (repeated.Id, repeated.Beds));
        Assert.Equal(CreateApartmentOutcome.DifferentRequest, (await apartment.CreateAsync(New(lat, lon, rent: 1100, beds: 2))).Outcome);
    }

    [Fact]
    public async Task ANearbySearchListsApartmentsNearestFirstWithinTheRadiusAndRentCap()
    {
        var (lat, lon, _) = FreshSpot();
        var near = await Client.ListAsync(beds: 3, rent: 900, at: (lat + 0.001, lon));
        var middle = await Client.ListAsync(beds: 2, rent: 700, at: (lat + 0.003, lon));
        var far = await Client.ListAsync(beds: 1, rent: 650, at: (lat + 0.03, lon));
        await Client.GetGrain<IRiderHousingGrain>(NewRider()).ApplyAsync(NewApplication(), middle.GetPrimaryKeyString());

        var mine = new[] { near, middle, far }.Select(a => a.GetPrimaryKeyString()).ToHashSet();
        var found = (await FindAsync(lat, lon, 1000)).Where(a => mine.Contains(a.Id)).ToList();
        var capped = (await FindAsync(lat, lon, 5000, maxRent: 800)).Where(a => mine.Contains(a.Id)).ToList();

        Assert.Equal([near.GetPrimaryKeyString(), middle.GetPrimaryKeyString()], found.Select(a => a.Id));
        Assert.True(found[0].DistanceM is > 100 and < 120, $"{found[0].DistanceM} m");
        Assert.Equal((new BedCount(2, 1), 0), (found[1].Beds, found[1].Waiting));
        Assert.Equal([middle.GetPrimaryKeyString(), far.GetPrimaryKeyString()], capped.Select(a => a.Id));
    }

    [Fact]
    public async Task ThreeHundredRidersApplyingAndAcceptingAtOnceFillTwentyBedsExactlyOnceAndNobodyHoldsTwo()
    {
        IApartmentGrain[] apartments = [await Client.ListAsync(beds: 10), await Client.ListAsync(beds: 10)];
        var ids = apartments.Select(a => a.GetPrimaryKeyString()).ToArray();
        var riders = Enumerable.Range(0, 300).Select(_ => NewRider()).ToList();

        // Every rider applies for both apartments at once and then accepts twice at once: one application each survives.
        var firstRound = await Task.WhenAll(riders.Select(async (rider, i) =>
        {
            var housing = Client.GetGrain<IRiderHousingGrain>(rider);
            var answers = await Task.WhenAll(housing.ApplyAsync(NewApplication(), ids[i % 2]), housing.ApplyAsync(NewApplication(), ids[(i + 1) % 2]));
            var application = Assert.Single(answers, a => a.Outcome == HousingOutcome.Answered).Application!;
            Assert.Single(answers, a => a.Outcome == HousingOutcome.AlreadyApplied);
            return await Task.WhenAll(housing.AcceptAsync(application.Id), housing.AcceptAsync(application.Id));
        }));
        Assert.InRange(firstRound.Count(r => r[0].Outcome == HousingOutcome.Answered), 1, 20);
        Assert.All(firstRound, r => Assert.Equal(r[0].Tenancy?.Id, r[1].Tenancy?.Id));

        // An offer that expired on a slow machine passed to the next rider in line: they accept too, until every bed is taken.
        var settled = await Eventually.ReadAsync(async () =>
        {
            var housings = await Task.WhenAll(riders.Select(r => Client.GetGrain<IRiderHousingGrain>(r).GetAsync()));
            await Task.WhenAll(riders.Zip(housings).Where(p => p.Second.Application?.Status == ApplicationStatus.Offered)
                .Select(p => Client.GetGrain<IRiderHousingGrain>(p.First).AcceptAsync(p.Second.Application!.Id)));
            return await Task.WhenAll(riders.Select(r => Client.GetGrain<IRiderHousingGrain>(r).GetAsync()));
        }, housings => housings.Count(h => h.Tenancy is not null) == 20, seconds: 60);

        var tenancies = settled.Select(h => h.Tenancy).OfType<TenancyView>().ToList();
        Assert.Equal(20, tenancies.Count);
        Assert.Equal(20, tenancies.Select(t => (t.ApartmentId, t.Bed)).Distinct().Count());
        Assert.All(tenancies, t => Assert.InRange(t.Bed, 1, 10));
        // The apartments allocated exactly these 20 tenancies and no others: each rider's bed is theirs alone.
        var allocated = new List<string>();
        foreach (var id in ids)
        {
            for (var n = 1; n <= 40; n++)
            {
                if (await Client.GetGrain<IApartmentGrain>(id).GetTenancyAsync(HousingLimits.TenancyId(id, n)) is { } t)
                {
                    allocated.Add(t.Id);
                }
            }
        }
        Assert.Equal(tenancies.Select(t => t.Id).Order(), allocated.Order());
        var views = await Task.WhenAll(apartments.Select(a => a.GetAsync()));
        Assert.All(views, v => Assert.Equal(new BedCount(10, 0), v!.Beds));
        Assert.Equal(settled.Count(h => h.Application?.Status == ApplicationStatus.Waiting), views.Sum(v => v!.Waiting));
    }

    [Fact]
    public async Task AnOfferNobodyAcceptsExpiresOnItsReminderAndPassesToTheNextRiderInLine()
    {
        var apartment = await Client.ListAsync(beds: 1);
        var (first, second) = (NewRider(), NewRider());
        var offered = (await ApplyAsync(first, apartment)).Application!;
        var waiting = (await ApplyAsync(second, apartment)).Application!;
        Assert.Equal((ApplicationStatus.Offered, 0), (offered.Status, offered.Position));
        Assert.Equal((ApplicationStatus.Waiting, 1, (DateTimeOffset?)null), (waiting.Status, waiting.Position, waiting.OfferExpiresAt));
        Assert.InRange(offered.OfferExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.Zero, ClusterFixture.HousingOfferTtl);

        // No call reaches the apartment meanwhile: only its reminder can move the offer on.
        var passedOn = await Eventually.ReadAsync(() => Client.GetGrain<INotificationsGrain>(second).ListAsync(0), n => n.Count > 0, seconds: 30);
        Assert.Equal("housing_bed_offered", Assert.Single(passedOn).Kind);
        var told = await Client.GetGrain<INotificationsGrain>(first).ListAsync(0);
        Assert.Equal(["housing_bed_offered", "housing_offer_expired"], told.Select(n => n.Kind));

        Assert.Equal(HousingOutcome.Closed, (await Client.GetGrain<IRiderHousingGrain>(first).AcceptAsync(offered.Id)).Outcome);
        Assert.Equal(new RiderHousing(null, null), await Client.GetGrain<IRiderHousingGrain>(first).GetAsync());
        var allocated = await Client.GetGrain<IRiderHousingGrain>(second).AcceptAsync(waiting.Id);
        Assert.Equal((HousingOutcome.Answered, 1), (allocated.Outcome, allocated.Tenancy!.Bed));
    }

    [Fact]
    public async Task AMoveOutByTheTenantOrTheSubdistrictsOperatorFreesTheBedAndOffersItOn()
    {
        var apartment = await Client.ListAsync(beds: 1);
        var subdistrict = (await apartment.GetAsync())!.SubdistrictId;
        var (tenant, next, stranger) = (NewRider(), NewRider(), NewRider());
        var application = (await ApplyAsync(tenant, apartment)).Application!;
        var tenancy = (await Client.GetGrain<IRiderHousingGrain>(tenant).AcceptAsync(application.Id)).Tenancy!;
        var waiting = (await ApplyAsync(next, apartment)).Application!;
        Assert.Equal((ApplicationStatus.Waiting, 1), (waiting.Status, waiting.Position));

        Assert.Equal(HousingOutcome.NotYours, (await apartment.MoveOutAsync(tenancy.Id, new MoveOutBy(stranger, null))).Outcome);
        Assert.Equal(HousingOutcome.NotYours, (await apartment.MoveOutAsync(tenancy.Id, new MoveOutBy(null, subdistrict == "jianwai" ? "chaowai" : "jianwai"))).Outcome);
        Assert.Equal(HousingOutcome.NoSuchTenancy, (await apartment.MoveOutAsync(tenancy.Id + "0", new MoveOutBy(null, subdistrict))).Outcome);
        Assert.Equal(tenancy, (await Client.GetGrain<IRiderHousingGrain>(tenant).GetAsync()).Tenancy);

        var movedOut = await apartment.MoveOutAsync(tenancy.Id, new MoveOutBy(null, subdistrict));
        Assert.NotNull(movedOut.Tenancy!.EndedAt);
        Assert.Equal(movedOut.Tenancy, (await apartment.MoveOutAsync(tenancy.Id, new MoveOutBy(tenant, null))).Tenancy);

        var offered = (await Client.GetGrain<IRiderHousingGrain>(next).GetAsync()).Application!;
        Assert.Equal(ApplicationStatus.Offered, offered.Status);
        Assert.Equal("housing_bed_offered", Assert.Single(await Client.GetGrain<INotificationsGrain>(next).ListAsync(0)).Kind);
        Assert.Null((await Client.GetGrain<IRiderHousingGrain>(tenant).GetAsync()).Tenancy);
        // The former tenant may apply again, and waits behind the rider now offered the bed.
        var again = (await ApplyAsync(tenant, apartment)).Application!;
        Assert.Equal((ApplicationStatus.Waiting, 1), (again.Status, again.Position));
    }

    [Fact]
    public async Task ARiderHoldsOneOpenApplicationAndOneBedAndAWithdrawnOfferPassesOn()
    {
        var apartment = await Client.ListAsync(beds: 1);
        var other = await Client.ListAsync(beds: 5);
        var (rider, next) = (NewRider(), NewRider());
        var housing = Client.GetGrain<IRiderHousingGrain>(rider);
        var applicationId = NewApplication();

        var unknown = await housing.ApplyAsync(NewApplication(), $"apt-{Guid.NewGuid():N}");
        Assert.Equal(HousingOutcome.NoSuchApartment, unknown.Outcome);
        Assert.Equal(new RiderHousing(null, null), await housing.GetAsync());

        var first = await housing.ApplyAsync(applicationId, apartment.GetPrimaryKeyString());
        Assert.Equal(first, await housing.ApplyAsync(applicationId, apartment.GetPrimaryKeyString()));
        Assert.Equal(HousingOutcome.DifferentRequest, (await housing.ApplyAsync(applicationId, other.GetPrimaryKeyString())).Outcome);
        var second = await housing.ApplyAsync(NewApplication(), other.GetPrimaryKeyString());
        Assert.Equal((HousingOutcome.AlreadyApplied, applicationId), (second.Outcome, second.Application!.Id));
        Assert.Equal(5, (await other.GetAsync())!.Beds.Free);

        await ApplyAsync(next, apartment);
        Assert.Equal(HousingOutcome.NoOffer, (await Client.GetGrain<IRiderHousingGrain>(next).AcceptAsync((await Client.GetGrain<IRiderHousingGrain>(next).GetAsync()).Application!.Id)).Outcome);
        Assert.Equal(HousingOutcome.NoSuchApplication, (await Client.GetGrain<IRiderHousingGrain>(next).AcceptAsync(applicationId)).Outcome);
        Assert.Equal(HousingOutcome.Answered, (await housing.WithdrawAsync(applicationId)).Outcome);
        Assert.Equal(ApplicationStatus.Offered, (await Client.GetGrain<IRiderHousingGrain>(next).GetAsync()).Application!.Status);
        // A replayed apply of the withdrawn application answers as the first time and queues nothing.
        Assert.Equal(first, await housing.ApplyAsync(applicationId, apartment.GetPrimaryKeyString()));
        Assert.Equal(0, (await apartment.GetAsync())!.Waiting);

        var housed = (await housing.ApplyAsync(NewApplication(), other.GetPrimaryKeyString())).Application!;
        var tenancy = (await housing.AcceptAsync(housed.Id)).Tenancy!;
        Assert.Equal(HousingOutcome.AlreadyAllocated, (await housing.WithdrawAsync(housed.Id)).Outcome);
        var refused = await housing.ApplyAsync(NewApplication(), apartment.GetPrimaryKeyString());
        Assert.Equal((HousingOutcome.AlreadyHoused, tenancy), (refused.Outcome, refused.Tenancy));
        Assert.Equal((new BedCount(1, 0), 0), ((await apartment.GetAsync())!.Beds, (await apartment.GetAsync())!.Waiting));
    }

    [Fact]
    public async Task ABedOfferedBeforeTheSiloHoldingTheApartmentDiesIsAllocatedOnceAfterwards()
    {
        var apartment = await Client.ListAsync(beds: 1);
        var (first, second) = (NewRider(), NewRider());
        var offered = (await ApplyAsync(first, apartment)).Application!;
        await ApplyAsync(second, apartment);
        var host = await fixture.HostOfAsync(apartment);

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        try
        {
            // The offer and the line live in PostgreSQL: the apartment comes back elsewhere with both. A call that went to the
            // dead silo times out; the rider retries, as an app would.
            var housing = Client.GetGrain<IRiderHousingGrain>(first);
            var accepted = await RetryAsync(() => housing.AcceptAsync(offered.Id));
            var again = await RetryAsync(() => housing.AcceptAsync(offered.Id));

            Assert.Equal((HousingOutcome.Answered, 1), (accepted.Outcome, accepted.Tenancy!.Bed));
            Assert.Equal(accepted.Tenancy, again.Tenancy);
            var view = (await RetryAsync(apartment.GetAsync))!;
            Assert.Equal((new BedCount(1, 0), 1), (view.Beds, view.Waiting));
            Assert.Null(await apartment.GetTenancyAsync(HousingLimits.TenancyId(apartment.GetPrimaryKeyString(), 2)));
            var waiting = (await RetryAsync(Client.GetGrain<IRiderHousingGrain>(second).GetAsync)).Application!;
            Assert.Equal((ApplicationStatus.Waiting, 1), (waiting.Status, waiting.Position));
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    private Task<HousingResult> ApplyAsync(string riderId, IApartmentGrain apartment) =>
        Client.GetGrain<IRiderHousingGrain>(riderId).ApplyAsync(NewApplication(), apartment.GetPrimaryKeyString());

    private Task<IReadOnlyList<NearbyApartment>> FindAsync(double lat, double lon, double radiusM, int? maxRent = null) =>
        Client.GetGrain<IApartmentFinderGrain>(0).FindAsync(new ApartmentQuery(lat, lon, radiusM, maxRent, 1, 100));

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
