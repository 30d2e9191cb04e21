using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// The single writer of one station's seats and charging ports. Reentrant so that concurrent check-ins share one
/// PostgreSQL write (<see cref="GroupCommit"/>): each call decides and mutates synchronously, so capacity checks never
/// interleave, and replies only after the write that contains its change has committed. Riders reach it through
/// Riders/RiderGrain.cs, which coordinates a rider's check-ins and moves between stations.
/// </summary>
[Reentrant]
public sealed partial class StationGrain(
    [PersistentState(StationGrain.StateName, StorageNames.Batched)] IPersistentState<StationState> state,
    [PersistentState("stationports", StorageNames.Batched)] IPersistentState<StationPortsState> ports,
    IOptions<StationOptions> options,
    IOptions<PortOptions> portOptions,
    [FromKeyedServices(StorageNames.Batched)] IGrainStorage storage,
    TimeProvider clock,
    ILogger<StationGrain> logger) : Grain, IStationGrain, IRemindable
{
    private const string StateName = "station";
    private const string ExpiryReminder = "expire-check-ins";
    private readonly StationOptions _options = options.Value;
    private readonly PortOptions _portOptions = portOptions.Value;
    private readonly IPersistentState<StationPortsState> _portsState = ports;
    private string StationId => this.GetPrimaryKeyString();
    private GroupCommit _commit = null!;
    private ActivationReminder _expiryReminder = null!;
    private int _chargingInUse;
    private IGrainTimer _publishTimer = null!;
    private long _publishedAt;
    private bool _publishScheduled;
    private (bool Seat, bool Charging, bool Swap) _publishedRoom;
    private readonly Dictionary<StationNeed, (DateTimeOffset At, IReadOnlyList<NearbyStation> Stations)> _alternatives = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _commit = new GroupCommit(WriteAndPublishAsync);
        // An occupied station needs its expiry reminder; registered once per activation, not once per check-in.
        _expiryReminder = new ActivationReminder(this, ExpiryReminder, _options.ExpirySweepPeriod);
        _chargingInUse = state.State.Present.Values.Count(c => c.Charging);
        _publishTimer = this.RegisterGrainTimer(PublishScheduledAsync, new GrainTimerCreationOptions
        {
            DueTime = Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
        });
        await ActivatePortsAsync();
        if (state.State.Definition is not null)
        {
            PublishToGeoIndex();
        }
        this.RegisterGrainTimer(RepublishAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.RepublishPeriod,
            Period = _options.RepublishPeriod,
            Interleave = true,
        });
        if (state.State.Present.Count > 0)
        {
            await _expiryReminder.EnsureAsync();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => DeactivatePortsAsync();

    public async Task DefineAsync(StationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Id != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Definition for {definition.Id} sent to station {this.GetPrimaryKeyString()}.", nameof(definition));
        }
        // Registered before the station is published there, so searches ask its cell (idempotent: also on every re-seed).
        await GrainFactory.GetGrain<IGeoCellDirectoryGrain>(0).RegisterAsync(GeoGrid.CellKey(definition.Lat, definition.Lon));
        if (state.State.Definition is { } current && SameDefinition(current, definition))
        {
            PublishToGeoIndex();
            await _commit.WhenDurableAsync();
            return;
        }
        if (state.State.Definition is { } moved && GeoGrid.CellKey(moved.Lat, moved.Lon) is var oldCell && oldCell != GeoGrid.CellKey(definition.Lat, definition.Lon))
        {
            // Out of the old cell before the new place is stored: a failure here leaves the old definition for a retry,
            // never the station listed in two cells.
            await GrainFactory.GetGrain<IGeoCellGrain>(oldCell).RemoveAsync(definition.Id);
        }
        _commit.MarkChanged();
        state.State.Definition = definition;
        await _commit.WhenDurableAsync();
    }

    public async Task<StationSnapshot?> GetAsync()
    {
        // Never show a rider as present before that check-in is durable.
        await _commit.WhenDurableAsync();
        return Snapshot();
    }

    public async Task<CheckInResult> AdmitAsync(string riderId, bool charging)
    {
        if (state.State.Definition is not { } definition)
        {
            return new CheckInResult(CheckInStatus.UnknownStation, null, []);
        }
        if (state.State.Present.TryGetValue(riderId, out var existing))
        {
            await _commit.WhenDurableAsync();
            await ConfirmCopyIsCurrentAsync();
            return CheckInResult.Admitted(existing);
        }

        // Decide and take the seat in one synchronous step: no await between the check and the change.
        if (state.State.Present.Count >= definition.Seats)
        {
            return await RefuseAsync(CheckInStatus.NoFreeSeat, StationNeed.Seat);
        }
        if (charging && !MayCharge(riderId))
        {
            return await RefuseAsync(CheckInStatus.NoFreeChargingPort, StationNeed.Charging);
        }
        var checkIn = new CheckIn(definition.Id, clock.GetUtcNow(), charging);
        _commit.MarkChanged();
        state.State.Present[riderId] = checkIn;
        if (charging)
        {
            _chargingInUse++;
        }
        await _commit.WhenDurableAsync();
        await _expiryReminder.EnsureAsync();
        if (charging)
        {
            await UseChargingReservationAsync(riderId);
        }
        return CheckInResult.Admitted(checkIn);
    }

    public async Task<CheckOutResult> ReleaseAsync(string riderId)
    {
        var stationId = this.GetPrimaryKeyString();
        if (state.State.Definition is null)
        {
            return new CheckOutResult(CheckOutStatus.UnknownStation, stationId, null, null);
        }
        if (!Remove(riderId, out var checkIn))
        {
            await ConfirmCopyIsCurrentAsync();
            return new CheckOutResult(CheckOutStatus.NotCheckedIn, stationId, null, null);
        }
        var checkedOutAt = clock.GetUtcNow();
        await _commit.WhenDurableAsync();
        return new CheckOutResult(CheckOutStatus.CheckedOut, stationId, checkIn.CheckedInAt, checkedOutAt);
    }

    public async Task<IReadOnlyList<string>> GetPresentRidersAsync()
    {
        await _commit.WhenDurableAsync();
        return [.. state.State.Present.Keys];
    }

    public async Task<CheckIn?> GetCheckInAsync(string riderId)
    {
        await _commit.WhenDurableAsync();
        return state.State.Present.GetValueOrDefault(riderId);
    }

    public async Task<StationManagers?> SetManagersAsync(StationManagers managers)
    {
        ArgumentNullException.ThrowIfNull(managers);
        if (state.State.Definition is null)
        {
            return null;
        }
        if (state.State.Managers != managers)
        {
            _commit.MarkChanged();
            state.State.Managers = managers;
        }
        await _commit.WhenDurableAsync();
        return state.State.Managers;
    }

    public async Task<StationRoster?> GetRosterAsync()
    {
        await _commit.WhenDurableAsync();
        return state.State.Definition is { } d ? new StationRoster(d.SubdistrictId, state.State.Managers) : null;
    }

    public async Task AddActivityAsync(StationActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        // The calendar rides in every write of the station's state (each check-in and check-out): it keeps only what a
        // search may still show, so it does not grow with every activity the station ever held.
        var cutoff = CalendarCutoff();
        var ended = state.State.Activities.Values.Where(a => a.EndsAt < cutoff).Select(a => a.Id).ToList();
        var added = activity.EndsAt >= cutoff && !state.State.Activities.ContainsKey(activity.Id);
        if (ended.Count > 0 || added)
        {
            _commit.MarkChanged();
            ended.ForEach(id => state.State.Activities.Remove(id));
            if (added)
            {
                state.State.Activities[activity.Id] = activity;
            }
        }
        await _commit.WhenDurableAsync();
    }

    public async Task<IReadOnlyList<StationActivity>> ListActivitiesAsync(DateTimeOffset fromTime, DateTimeOffset? toTime)
    {
        await _commit.WhenDurableAsync();
        var cutoff = CalendarCutoff();
        var from = fromTime > cutoff ? fromTime : cutoff;
        return [.. state.State.Activities.Values.Where(a => a.EndsAt >= from && (toTime is null || a.StartsAt <= toTime))];
    }

    private DateTimeOffset CalendarCutoff() => clock.GetUtcNow() - _options.CalendarRetention;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == PortsReminder)
        {
            await OnPortsReminderAsync();
            return;
        }
        if (reminderName != ExpiryReminder)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var expired = state.State.Present.Where(p => p.Value.CheckedInAt <= now - _options.CheckInTtl).ToList();
        foreach (var (riderId, _) in expired)
        {
            Remove(riderId, out _);
        }
        await ReleaseLeftBehindAsync(now);
        await _commit.WhenDurableAsync();

        foreach (var (riderId, checkIn) in expired)
        {
            logger.LogInformation("Expired check-in of {RiderId} at {StationId} from {CheckedInAt}", riderId, checkIn.StationId, checkIn.CheckedInAt);
            // The seat is already free; telling the rider is best effort (its next move re-checks with the station).
            try
            {
                await GrainFactory.GetGrain<Riders.IRiderGrain>(riderId).CheckInExpiredAsync(checkIn.StationId, checkIn.CheckedInAt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not tell rider {RiderId} that its check-in expired", riderId);
            }
        }

        await _expiryReminder.UnregisterWhenIdleAsync(() => state.State.Present.Count == 0);
    }

    /// <summary>Releases occupants whose rider grain says it is elsewhere (or nowhere).</summary>
    private async Task ReleaseLeftBehindAsync(DateTimeOffset now)
    {
        var candidates = state.State.Present.Where(p => p.Value.CheckedInAt <= now - _options.ReconcileAfter).ToList();
        foreach (var (riderId, checkIn) in candidates)
        {
            CheckIn? riderSays;
            try
            {
                riderSays = await GrainFactory.GetGrain<Riders.IRiderGrain>(riderId).GetCurrentStationAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                continue; // Unknown is not "elsewhere": ask again at the next sweep.
            }
            // Re-check after the await: the rider may have checked out or in again meanwhile.
            if (riderSays?.StationId != StationId && state.State.Present.TryGetValue(riderId, out var still) && still == checkIn)
            {
                logger.LogWarning("Released {RiderId} from {StationId}: its rider grain says it is at {Elsewhere}", riderId, StationId, riderSays?.StationId ?? "no station");
                Remove(riderId, out _);
            }
        }
    }

    private bool Remove(string riderId, out CheckIn checkIn)
    {
        if (!state.State.Present.TryGetValue(riderId, out checkIn!))
        {
            return false;
        }
        _commit.MarkChanged();
        state.State.Present.Remove(riderId);
        if (checkIn.Charging)
        {
            _chargingInUse--;
        }
        return true;
    }

    /// <summary>
    /// An answer given from memory without a write (a re-admission, "not checked in") is only as good as this copy.
    /// While silos are cut off from each other the cluster can run a second activation of a station for a while; a
    /// rider admitted or released there is unknown here, and since these answers write nothing, no version conflict
    /// catches them. So before giving one, compare the stored version with this copy's: if another activation wrote
    /// since, this one is stale and goes (the caller gets a retryable error, 503 at the API, and the retry loads the stored row).
    /// Rare answers (a retried check-in, a check-out where the rider is not), so one read each is cheap.
    /// </summary>
    private async Task ConfirmCopyIsCurrentAsync()
    {
        var versionBefore = state.Etag;
        var stored = new GrainState<StationState>();
        await storage.ReadStateAsync(StateName, this.GetGrainId(), stored);
        // Our own commit may land during the read: either of our versions means no one else wrote.
        if (stored.ETag != versionBefore && stored.ETag != state.Etag)
        {
            logger.LogWarning("Station {StationId} holds version {Ours} but storage has {Stored}: another activation wrote since; dropping this copy", StationId, state.Etag, stored.ETag);
            DeactivateOnIdle();
            throw new StorageUnavailableException($"Station {StationId} was changed by another activation; this answer could not be confirmed, retry.");
        }
    }

    private async Task<CheckInResult> RefuseAsync(CheckInStatus status, StationNeed need) =>
        new(status, null, await AlternativesAsync(need));

    private async Task<IReadOnlyList<NearbyStation>> AlternativesAsync(StationNeed need)
    {
        var now = clock.GetUtcNow();
        if (!_alternatives.TryGetValue(need, out var cached) || now - cached.At > _options.AlternativesCacheTime)
        {
            var definition = state.State.Definition!;
            var stations = await GrainFactory.GetGrain<IStationFinderGrain>(0).FindNearbyAsync(
                new NearbyQuery(definition.Lat, definition.Lon, NearbyLimits.MaxRadiusM, 3, need, definition.Id));
            cached = (now, stations);
            _alternatives[need] = cached;
        }
        return cached.Stations;
    }

    private async Task WriteAndPublishAsync()
    {
        await state.WriteOrDeactivateAsync(this);
        PublishToGeoIndex();
    }

    /// <summary>Heals the geo index (see <see cref="StationOptions.RepublishPeriod"/>): the cell's directory entry, then the station in it.</summary>
    private async Task RepublishAsync(CancellationToken cancellationToken)
    {
        if (state.State.Definition is { } d)
        {
            await GrainFactory.GetGrain<IGeoCellDirectoryGrain>(0).RegisterAsync(GeoGrid.CellKey(d.Lat, d.Lon));
            PublishToGeoIndex();
        }
    }

    /// <summary>
    /// Tells the geo index the station's latest snapshot. A change of whether the station has room (a seat, a charging
    /// port, a battery: what nearby's need filter and a rider's choice turn on), or of its ports' counts (a partner's
    /// report, a reservation: <paramref name="portsChanged"/>), goes out at once; other changes (one free seat more or
    /// less) at most once per <see cref="StationOptions.PublishInterval"/>: the first at once, the rest together at the
    /// end of the interval. So a busy lunch station (a check-in or check-out every few milliseconds) costs its cell about
    /// a message a second instead of one per change, and is never shown with room once it is full.
    /// </summary>
    private void PublishToGeoIndex(bool portsChanged = false)
    {
        if (Snapshot() is not { } snapshot)
        {
            return;
        }
        var sinceLast = clock.GetElapsedTime(_publishedAt);
        if (_publishedAt == 0 || portsChanged || sinceLast >= _options.PublishInterval || Room(snapshot) != _publishedRoom)
        {
            PublishNow(snapshot);
        }
        else if (!_publishScheduled)
        {
            _publishScheduled = true;
            _publishTimer.Change(_options.PublishInterval - sinceLast, Timeout.InfiniteTimeSpan);
        }
    }

    private Task PublishScheduledAsync(CancellationToken cancellationToken)
    {
        _publishScheduled = false;
        if (Snapshot() is { } snapshot)
        {
            PublishNow(snapshot);
        }
        return Task.CompletedTask;
    }

    private void PublishNow(StationSnapshot snapshot)
    {
        _publishedAt = clock.GetTimestamp();
        _publishedRoom = Room(snapshot);
        // One-way: the index may lag a write by a moment, but a check-in never waits on it.
        GrainFactory.GetGrain<IGeoCellGrain>(GeoGrid.CellKey(snapshot.Lat, snapshot.Lon)).UpsertAsync(snapshot).Ignore();
    }

    private static (bool Seat, bool Charging, bool Swap) Room(StationSnapshot s) =>
        (s.HasRoomFor(StationNeed.Seat), s.HasRoomFor(StationNeed.Charging), s.HasRoomFor(StationNeed.Swap));

    private StationSnapshot? Snapshot()
    {
        if (state.State.Definition is not { } d)
        {
            return null;
        }
        var present = state.State.Present.Count;
        return new StationSnapshot(
            d.Id, d.Name, d.SubdistrictId, d.Lat, d.Lon, d.Open24h,
            new Capacity(d.Seats, Math.Max(0, d.Seats - present)),
            ChargingCapacity(),
            SwapCapacity(),
            d.Amenities,
            present,
            state.State.Managers.Public());
    }

    private static bool SameDefinition(StationDefinition a, StationDefinition b) =>
        a with { Amenities = [] } == b with { Amenities = [] } && a.Amenities.SequenceEqual(b.Amenities);
}
