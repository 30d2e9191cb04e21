using FriendlyChaoyang.Points;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Chaos;

public sealed record CheckResult(string Name, int Checked, IReadOnlyList<string> Violations)
{
    public bool Passed => Violations.Count == 0;
}

/// <summary>Reads the cluster's truth through a grain client of our own and compares it with itself and with the model.</summary>
public sealed class InvariantChecker(IGrainFactory grains, WorldModel world, IReadOnlyList<string> stationIds)
{
    private const int PageSize = 50;

    public async Task<IReadOnlyList<CheckResult>> CheckAsync()
    {
        var results = new List<CheckResult>();
        var riders = world.Riders.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

        // Stations and riders, read from the grains themselves.
        var present = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var capacity = new List<string>();
        foreach (var id in stationIds)
        {
            var station = grains.GetGrain<IStationGrain>(id);
            var snapshot = await station.GetAsync() ?? throw new InvalidOperationException($"station {id} is not defined");
            var inside = await station.GetPresentRidersAsync();
            present[id] = inside;
            if (snapshot.Present > snapshot.Seats.Total || snapshot.Seats.Free < 0 || snapshot.Charging.Free < 0)
            {
                capacity.Add($"{id}: present {snapshot.Present}, seats {snapshot.Seats.Free}/{snapshot.Seats.Total} free, charging {snapshot.Charging.Free}/{snapshot.Charging.Total} free");
            }
            if (snapshot.Present != inside.Count || snapshot.Seats.Free != snapshot.Seats.Total - inside.Count)
            {
                capacity.Add($"{id}: snapshot says present {snapshot.Present} and {snapshot.Seats.Free} seats free, but {inside.Count} riders are listed inside");
            }
        }
        results.Add(new("occupancy <= capacity, counts agree with the riders listed", stationIds.Count, capacity));

        var profiles = new Dictionary<string, RiderProfile>(StringComparer.Ordinal);
        foreach (var rider in riders)
        {
            profiles[rider.Id] = await grains.GetGrain<IRiderGrain>(rider.Id).GetProfileAsync();
        }

        var oneStation = new List<string>();
        foreach (var group in present.SelectMany(p => p.Value.Select(r => (Rider: r, Station: p.Key))).GroupBy(x => x.Rider).Where(g => g.Count() > 1))
        {
            oneStation.Add($"{group.Key} is inside {string.Join(" and ", group.Select(g => g.Station))}");
        }
        results.Add(new("each rider at most at one station", riders.Count, oneStation));

        var agree = new List<string>();
        foreach (var (stationId, inside) in present)
        {
            var claimed = profiles.Values.Where(p => p.CurrentStation?.StationId == stationId).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var r in inside.Where(r => !claimed.Contains(r)))
            {
                agree.Add($"{stationId} lists {r}, whose currentStation is {profiles.GetValueOrDefault(r)?.CurrentStation?.StationId ?? "none"}");
            }
            foreach (var r in claimed.Where(r => !inside.Contains(r)))
            {
                agree.Add($"{r} has currentStation {stationId}, which does not list it");
            }
        }
        results.Add(new("station's present riders == riders whose currentStation is that station", stationIds.Count, agree));

        var acknowledged = new List<string>();
        foreach (var rider in riders)
        {
            var actual = profiles[rider.Id].CurrentStation?.StationId;
            if (actual != rider.Station)
            {
                acknowledged.Add($"{rider.Id}: last acknowledged answer put it at {rider.Station ?? "no station"}, the cluster says {actual ?? "no station"}");
            }
        }
        results.Add(new("acknowledged check-ins/outs not lost (rider's station == last 2xx)", riders.Count, acknowledged));

        // Ledgers.
        var ledgerSums = new List<string>();
        var negative = new List<string>();
        var duplicates = new List<string>();
        var expectedPoints = new List<string>();
        var held = new List<string>();
        var expectedCredits = ExpectedCredits();
        // A late link's co-reporter entry may be there or not (see IssueModel.LateLinks), once at most (no entry id twice).
        var lateLinks = world.Issues.Values.SelectMany(i => i.LateLinks.Keys.Select(co => (co, $"issue:{i.Id}:co-reporter:{co}"))).ToHashSet();
        foreach (var rider in riders)
        {
            var ledger = grains.GetGrain<IPointsLedgerGrain>(rider.Id);
            var entries = new List<LedgerEntry>();
            LedgerPage page;
            var n = 1;
            do
            {
                page = await ledger.GetPageAsync(n++, PageSize);
                entries.AddRange(page.Entries);
            }
            while (page.Entries.Count == PageSize);
            var sum = entries.Sum(e => e.Amount);
            if (sum != page.Balance)
            {
                ledgerSums.Add($"{rider.Id}: entries sum to {sum}, balance is {page.Balance}");
            }
            if (page.Balance < 0 || page.Held < 0 || page.Balance - page.Held < 0)
            {
                negative.Add($"{rider.Id}: balance {page.Balance}, held {page.Held}");
            }
            foreach (var dup in entries.GroupBy(e => e.Id).Where(g => g.Count() > 1))
            {
                duplicates.Add($"{rider.Id}: entry {dup.Key} appears {dup.Count()} times");
            }
            var heldExpected = rider.Redemptions.Where(r => r.State == "held").Sum(r => r.Cost);
            if (page.Held != heldExpected)
            {
                held.Add($"{rider.Id}: held {page.Held}, open acknowledged holds total {heldExpected}");
            }

            var expected = expectedCredits.GetValueOrDefault(rider.Id) ?? [];
            foreach (var redemption in rider.Redemptions.Where(r => r.State == "redeemed"))
            {
                expected[$"hold:{redemption.Code}:post"] = -redemption.Cost;
            }
            var actual = entries.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.Sum(e => e.Amount), StringComparer.Ordinal);
            foreach (var (id, amount) in expected)
            {
                if (!actual.TryGetValue(id, out var got))
                {
                    expectedPoints.Add($"{rider.Id}: missing entry {id} ({amount:+0;-0})");
                }
                else if (got != amount)
                {
                    expectedPoints.Add($"{rider.Id}: entry {id} is {got:+0;-0}, expected {amount:+0;-0}");
                }
            }
            foreach (var (id, amount) in actual.Where(a => !expected.ContainsKey(a.Key) && !(a.Value == 1 && lateLinks.Contains((rider.Id, a.Key)))))
            {
                expectedPoints.Add($"{rider.Id}: unexpected entry {id} ({amount:+0;-0})");
            }
        }
        results.Add(new("each ledger's entries sum to its balance", riders.Count, ledgerSums));
        results.Add(new("no negative balance (balance, held, spendable >= 0)", riders.Count, negative));
        results.Add(new("no ledger entry id twice", riders.Count, duplicates));
        results.Add(new("held == open acknowledged redemptions", riders.Count, held));
        results.Add(new("points paid exactly once: 2 per resolved issue to the reporter, 1 per co-reporter, minus confirmed redemptions",
            riders.Count, expectedPoints));
        return results;
    }

    private Dictionary<string, Dictionary<string, int>> ExpectedCredits()
    {
        var expected = world.Riders.Keys.ToDictionary(r => r, _ => new Dictionary<string, int>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var issue in world.Issues.Values.Where(i => i.Status == "resolved" && i.Reporter is not null))
        {
            expected[issue.Reporter!][$"issue:{issue.Id}:reporter"] = 2;
            foreach (var co in issue.CoReporters.Keys.Where(c => c != issue.Reporter))
            {
                expected[co][$"issue:{issue.Id}:co-reporter:{co}"] = 1;
            }
        }
        return expected;
    }
}
