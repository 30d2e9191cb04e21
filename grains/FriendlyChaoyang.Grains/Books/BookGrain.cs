using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Stations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Books;

/// <summary>
/// One book. Not reentrant: lends and returns run one at a time, so a book is never lent twice. What it must tell
/// other grains (its stations' shelf lists, the borrower's loan record, the overdue notification) is recorded in its
/// state first and delivered through its <see cref="Outbox"/>, retried by the book's reminder until acknowledged. The
/// same reminder fires when a loan falls due, so the overdue notice survives silo restarts.
/// </summary>
public sealed class BookGrain(
    [PersistentState("book", StorageNames.Default)] IPersistentState<BookState> state,
    IOptions<BookOptions> options,
    TimeProvider clock,
    ILogger<BookGrain> logger) : Grain, IBookGrain, IRemindable
{
    private const string TickReminder = "book-tick";
    private readonly BookOptions _options = options.Value;
    private Outbox _outbox = null!;
    private BookState S => state.State;
    private string BookId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _outbox = new Outbox(this, GrainFactory, () => state.State, WriteAsync,
            new OutboxSettings(TickReminder, _options.TickPeriod, _options.DeliveryTimeout), logger);
        return Task.CompletedTask;
    }

    public async Task<BookResult> RegisterAsync(NewBook book, string requestFingerprint)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (S.Book is not null)
        {
            if (S.RequestFingerprint != requestFingerprint)
            {
                return new BookResult(BookOutcome.DifferentRequest, null);
            }
            await DeliverAsync();
            return Answered();
        }
        S.Book = book;
        S.RequestFingerprint = requestFingerprint;
        S.StationId = book.StationId;
        await WriteAsync();
        await DeliverAsync();
        return Answered();
    }

    public Task<BookView?> GetAsync() => Task.FromResult(S.Book is null ? null : View());

    public Task<string?> GetBorrowerAsync() => Task.FromResult(S.Loan?.RiderId);

    public async Task<BookResult> LendAsync(string riderId)
    {
        if (S.Book is null)
        {
            return new BookResult(BookOutcome.NotFound, null);
        }
        if (S.Loan is { } loan)
        {
            return loan.RiderId == riderId ? Answered() : new BookResult(BookOutcome.AlreadyLent, View());
        }
        var now = clock.GetUtcNow();
        S.Loan = new BookLoan(riderId, now, now + _options.LoanPeriod, false);
        await WriteAsync();
        // First tick when the loan falls due; then every tick period until the notice is delivered or the book is back.
        await this.RegisterOrUpdateReminder(TickReminder, _options.LoanPeriod, _options.TickPeriod);
        return Answered();
    }

    public async Task<BookResult> ReturnAsync(BookReturn bookReturn)
    {
        ArgumentNullException.ThrowIfNull(bookReturn);
        if (S.Book is null)
        {
            return new BookResult(BookOutcome.NotFound, null);
        }
        if (S.Loan is not { } loan)
        {
            return new BookResult(BookOutcome.NotLent, View());
        }
        if (bookReturn.BorrowerId is { } borrower && borrower != loan.RiderId)
        {
            return new BookResult(BookOutcome.NotBorrower, null);
        }
        S.Loan = null;
        S.ReleasePending = loan.RiderId;
        S.StationId = bookReturn.StationId;
        await WriteAsync();
        await DeliverAsync();
        await this.UnregisterReminderWhenIdleAsync(TickReminder, () => !NeedsTicks);
        return Answered();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != TickReminder)
        {
            return;
        }
        if (S.Loan is { OverdueNotified: false } loan && clock.GetUtcNow() >= loan.DueAt)
        {
            _outbox.Notify(loan.RiderId, new NotificationDraft(
                $"book:{BookId}:overdue:{loan.LentAt.UtcTicks}:{loan.RiderId}", "book_overdue", null,
                $"\"{S.Book!.Title}\" was due back on {loan.DueAt:yyyy-MM-dd HH:mm} UTC. Please return it to any station's book shelf."));
            S.Loan = loan with { OverdueNotified = true };
            logger.LogInformation("Book {BookId} lent to {RiderId} is overdue (due {DueAt})", BookId, loan.RiderId, loan.DueAt);
            await WriteAsync();
        }
        await DeliverAsync();
        await this.UnregisterReminderWhenIdleAsync(TickReminder, () => !NeedsTicks);
    }

    /// <summary>A loan not yet due or not yet noticed as overdue, or anything undelivered.</summary>
    private bool NeedsTicks => S.Loan is { OverdueNotified: false } || _outbox.HasPending || S.ListedAt != S.StationId || S.ReleasePending is not null;

    /// <summary>The outbox, plus the shelf move and the borrower's release while they are not acknowledged.</summary>
    private Task DeliverAsync()
    {
        List<OutboxDelivery> extra = [];
        if (S.Book is not null && S.ListedAt != S.StationId)
        {
            var (from, to) = (S.ListedAt, S.StationId);
            extra.Add(new OutboxDelivery(
                async () =>
                {
                    await GrainFactory.GetGrain<IStationGrain>(to).ShelveBookAsync(BookId);
                    if (from is not null)
                    {
                        await GrainFactory.GetGrain<IStationGrain>(from).UnshelveBookAsync(BookId);
                    }
                },
                () => S.ListedAt = to));
        }
        if (S.ReleasePending is { } rider)
        {
            extra.Add(new OutboxDelivery(
                () => GrainFactory.GetGrain<IRiderLoansGrain>(rider).ReleaseAsync(BookId),
                () => S.ReleasePending = S.ReleasePending == rider ? null : S.ReleasePending));
        }
        return _outbox.DeliverAsync(extra);
    }

    private BookResult Answered() => new(BookOutcome.Answered, View());

    private BookView View() => new(BookId, S.StationId, S.Book!.Title, S.Book.Author, S.Book.Isbn, S.Loan is null, S.Loan?.DueAt);

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
