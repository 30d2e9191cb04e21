using FriendlyChaoyang.Books;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Books;

[Collection(ClusterCollection.Name)]
public sealed class BookGrainTests(ClusterFixture fixture)
{
    private const string Station = "cy-jianwai-002";

    [Fact]
    public async Task ConcurrentBorrowsOfThreeBooksByOneRiderLendExactlyTwo()
    {
        var books = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RegisterBookAsync()));
        var rider = fixture.Client.GetGrain<IRiderLoansGrain>($"r-{Guid.NewGuid():N}");

        var results = await Task.WhenAll(books.Select(b => rider.BorrowAsync(b.GetPrimaryKeyString())));

        Assert.Equal(2, results.Count(r => r.Outcome == BookOutcome.Answered));
        Assert.Single(results, r => r.Outcome == BookOutcome.LoanLimitReached);
        var onShelf = await Task.WhenAll(books.Select(b => b.GetAsync()));
        Assert.Single(onShelf, b => b!.Available);
    }

    [Fact]
    public async Task AReturnedBookFreesTheRidersLoanForAnotherBook()
    {
        var books = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RegisterBookAsync()));
        var riderId = $"r-{Guid.NewGuid():N}";
        var rider = fixture.Client.GetGrain<IRiderLoansGrain>(riderId);
        Assert.Equal(BookOutcome.Answered, (await rider.BorrowAsync(books[0].GetPrimaryKeyString())).Outcome);
        Assert.Equal(BookOutcome.Answered, (await rider.BorrowAsync(books[1].GetPrimaryKeyString())).Outcome);
        Assert.Equal(BookOutcome.LoanLimitReached, (await rider.BorrowAsync(books[2].GetPrimaryKeyString())).Outcome);

        Assert.Equal(BookOutcome.Answered, (await books[0].ReturnAsync(new BookReturn(Station, null))).Outcome);

        Assert.Equal(BookOutcome.Answered, (await rider.BorrowAsync(books[2].GetPrimaryKeyString())).Outcome);
        Assert.Equal(BookOutcome.AlreadyLent, (await fixture.Client.GetGrain<IRiderLoansGrain>($"r-{Guid.NewGuid():N}")
            .BorrowAsync(books[2].GetPrimaryKeyString())).Outcome);
    }

    [Fact]
    public async Task AnOverdueLoanNotifiesTheBorrowerOnceEvenAcrossDeactivation()
    {
        var book = await RegisterBookAsync();
        var riderId = $"r-{Guid.NewGuid():N}";
        var lent = await fixture.Client.GetGrain<IRiderLoansGrain>(riderId).BorrowAsync(book.GetPrimaryKeyString());
        Assert.Equal(BookOutcome.Answered, lent.Outcome);
        var notifications = fixture.Client.GetGrain<INotificationsGrain>(riderId);
        Assert.Empty(await notifications.ListAsync(0));

        // The reminder, not an activation, drives the notice: drop every activation while the loan is still running.
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var stored = await Eventually.ReadAsync(() => notifications.ListAsync(0), n => n.Count > 0);

        var notice = Assert.Single(stored);
        Assert.Equal("book_overdue", notice.Kind);
        Assert.True(notice.At >= lent.Book!.DueAt!.Value);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await notifications.ListAsync(0));
    }

    private async Task<IBookGrain> RegisterBookAsync()
    {
        var book = fixture.Client.GetGrain<IBookGrain>($"book-{Guid.NewGuid():N}");
        var result = await book.RegisterAsync(new NewBook(Station, "平凡的世界", "路遥", null, "mgr"), "fp");
        Assert.Equal(BookOutcome.Answered, result.Outcome);
        return book;
    }
}
