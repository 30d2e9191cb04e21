using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Points;

/// <summary>
/// A rider's ledger (TigerBeetle-style): ids derived from causes make every operation idempotent; holds reserve points
/// until posted or released. Not reentrant, so the spendable check and the hold are one step and cannot overspend.
/// </summary>
public sealed class PointsLedgerGrain(
    [PersistentState("points-ledger", StorageNames.Default)] IPersistentState<PointsLedgerState> state,
    IOptions<PointsOptions> options,
    TimeProvider clock,
    ILogger<PointsLedgerGrain> logger) : Grain, IPointsLedgerGrain, IRemindable
{
    private const string ExpiryReminder = "expire-holds";
    private readonly PointsOptions _options = options.Value;
    private PointsLedgerState S => state.State;
    private string RiderId => this.GetPrimaryKeyString();

    public async Task<PointsSummary> CreditAsync(LedgerCredit credit)
    {
        ArgumentNullException.ThrowIfNull(credit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credit.Amount);
        if (S.SeenIds.Add(credit.Id))
        {
            S.Entries.Add(new LedgerEntry(credit.Id, clock.GetUtcNow(), credit.Amount, credit.Reason, credit.Ref));
            S.Balance += credit.Amount;
            await WriteAsync();
        }
        return Summary();
    }

    public async Task<PointsSummary> ReverseAsync(LedgerReversal reversal)
    {
        ArgumentNullException.ThrowIfNull(reversal);
        if (S.SeenIds.Add(reversal.Id))
        {
            // Marking the credit seen makes a credit still on its way (the outboxes deliver in any order) a no-op.
            S.SeenIds.Add(reversal.CreditId);
            var credited = S.Entries.FirstOrDefault(e => e.Id == reversal.CreditId)?.Amount ?? 0;
            var amount = Math.Min(credited, S.Balance - S.Held);
            if (amount > 0)
            {
                S.Entries.Add(new LedgerEntry(reversal.Id, clock.GetUtcNow(), -amount, reversal.Reason, reversal.Ref));
                S.Balance -= amount;
            }
            await WriteAsync();
        }
        return Summary();
    }

    public Task<PointsSummary> GetSummaryAsync() => Task.FromResult(Summary());

    public Task<LedgerPage> GetPageAsync(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        // In long arithmetic: page 107374184 of 20 must be past the end, not wrap around to page 1.
        var skip = (long)(page - 1) * pageSize;
        IReadOnlyList<LedgerEntry> entries = skip >= S.Entries.Count ? [] : [.. Enumerable.Reverse(S.Entries).Skip((int)skip).Take(pageSize)];
        return Task.FromResult(new LedgerPage(S.Balance, S.Held, entries));
    }

    public async Task<HoldStatus> HoldAsync(LedgerHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hold.Amount);
        if (S.Holds.TryGetValue(hold.Id, out var existing))
        {
            return existing.Status;
        }
        if (S.Balance - S.Held < hold.Amount)
        {
            return HoldStatus.InsufficientPoints;
        }
        S.Holds[hold.Id] = new HoldRecord(hold, HoldStatus.Held);
        S.Held += hold.Amount;
        await WriteAsync();
        await this.RegisterOrUpdateReminder(ExpiryReminder, _options.HoldSweepPeriod, _options.HoldSweepPeriod);
        return HoldStatus.Held;
    }

    public async Task<HoldStatus> PostAsync(string holdId)
    {
        if (!S.Holds.TryGetValue(holdId, out var record))
        {
            return HoldStatus.Unknown;
        }
        if (record.Status != HoldStatus.Held)
        {
            return record.Status;
        }
        var now = clock.GetUtcNow();
        if (now >= record.Hold.ExpiresAt)
        {
            End(record, HoldStatus.Expired);
        }
        else
        {
            End(record, HoldStatus.Posted);
            var entryId = $"hold:{holdId}:post";
            S.SeenIds.Add(entryId);
            S.Entries.Add(new LedgerEntry(entryId, now, -record.Hold.Amount, record.Hold.Reason, record.Hold.Ref));
            S.Balance -= record.Hold.Amount;
        }
        await WriteAsync();
        return S.Holds[holdId].Status;
    }

    public async Task<HoldStatus> ReleaseAsync(string holdId)
    {
        if (!S.Holds.TryGetValue(holdId, out var record))
        {
            return HoldStatus.Unknown;
        }
        if (record.Status != HoldStatus.Held)
        {
            return record.Status;
        }
        End(record, HoldStatus.Released);
        await WriteAsync();
        return HoldStatus.Released;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var expired = S.Holds.Values.Where(h => h.Status == HoldStatus.Held && h.Hold.ExpiresAt <= now).ToList();
        foreach (var record in expired)
        {
            End(record, HoldStatus.Expired);
        }
        if (expired.Count > 0)
        {
            logger.LogInformation("Released {Count} expired hold(s) of rider {RiderId}", expired.Count, RiderId);
            await WriteAsync();
        }
        await this.UnregisterReminderWhenIdleAsync(ExpiryReminder, () => S.Holds.Values.All(h => h.Status != HoldStatus.Held));
    }

    private void End(HoldRecord record, HoldStatus status)
    {
        S.Holds[record.Hold.Id] = record with { Status = status };
        S.Held -= record.Hold.Amount;
    }

    private PointsSummary Summary() => new(S.Balance, S.Held);

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
