using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Ports.PortTestStation;

namespace FriendlyChaoyang.Tests.Ports;

/// <summary>
/// The board keeps its port count between changes (a busy station asks for it on every check-in); these pin down that a
/// kept count never outlives what it counted: a report, a reservation, a port going stale, a reservation running out.
/// </summary>
public sealed class PortBoardTests
{
    private const string Owner = "eleme";
    private static readonly PortOptions Options = new() { StaleAfter = TimeSpan.FromMinutes(3), ReservationTtl = TimeSpan.FromMinutes(10) };
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly StationPortsState _state = new();

    private PortBoard NewBoard() => new(() => _state, Options, _clock);

    [Fact]
    public void ACountedPortStopsCountingAsFreeTheMomentItGoesStale()
    {
        var board = NewBoard();
        var (first, second) = (_clock.Now, _clock.Now.AddMinutes(1));
        board.Apply(Owner, PortFeedMode.Snapshot, [Swap("s0", PortStatus.Charged, first), Swap("s1", PortStatus.Charged, second)]);
        Assert.Equal(new PortTally(2, 2, 0, first), board.Tally(PortKind.Swap));

        _clock.Now = first + Options.StaleAfter;
        Assert.Equal(new PortTally(2, 2, 0, first), board.Tally(PortKind.Swap));
        _clock.Now = first + Options.StaleAfter + TimeSpan.FromTicks(1);
        Assert.Equal(new PortTally(2, 1, 0, second), board.Tally(PortKind.Swap));

        _clock.Now = second + Options.StaleAfter + TimeSpan.FromTicks(1);
        Assert.Equal(new PortTally(2, 0, 0, null), board.Tally(PortKind.Swap));
    }

    [Fact]
    public void AReportOrAReservationChangesTheCountAtOnceAndAnExpiredReservationFreesItsPortOnTime()
    {
        var board = NewBoard();
        board.Apply(Owner, PortFeedMode.Snapshot, [Swap("s0", PortStatus.Charged, _clock.Now), Swap("s1", PortStatus.Empty, _clock.Now)]);
        Assert.Equal(1, board.Tally(PortKind.Swap)!.Free);

        board.Apply(Owner, PortFeedMode.Delta, [Swap("s1", PortStatus.Charged, _clock.Now.AddSeconds(1))]);
        Assert.Equal(2, board.Tally(PortKind.Swap)!.Free);

        var reservation = board.Reserve("st-1", "rider-1", PortKind.Swap)!;
        Assert.Equal(1, board.Tally(PortKind.Swap)!.Free);

        // Keep the ports fresh, so only the reservation's end can change the count.
        _clock.Now = reservation.ExpiresAt - TimeSpan.FromSeconds(1);
        board.Apply(Owner, PortFeedMode.Delta, [Swap("s0", PortStatus.Charged, _clock.Now), Swap("s1", PortStatus.Charged, _clock.Now)]);
        Assert.Equal(1, board.Tally(PortKind.Swap)!.Free);
        _clock.Now = reservation.ExpiresAt;
        Assert.Equal(2, board.Tally(PortKind.Swap)!.Free);
    }

    [Fact]
    public void AReleasedReservationFreesItsPortAtOnce()
    {
        var board = NewBoard();
        board.Apply(Owner, PortFeedMode.Snapshot, [Swap("s0", PortStatus.Charged, _clock.Now)]);
        var reservation = board.Reserve("st-1", "rider-1", PortKind.Swap)!;
        Assert.Equal(0, board.Tally(PortKind.Swap)!.Free);

        board.End("rider-1", reservation.Id);

        Assert.Equal(1, board.Tally(PortKind.Swap)!.Free);
    }
}
