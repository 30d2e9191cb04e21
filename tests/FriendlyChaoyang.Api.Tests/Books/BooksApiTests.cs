using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Api.Tests.Books;

/// <summary>The book shelf over REST: register, borrow, return at any station, the loan limit, who may return, bad input.</summary>
[Collection(ApiCollection.Name)]
public sealed class BooksApiTests(ApiFixture fixture)
{
    private const string Home = "cy-hujialou-001";
    private const string Elsewhere = "cy-hujialou-002";

    [Fact]
    public async Task ABookBorrowedAtOneStationAndReturnedAtAnotherMovesToThatShelf()
    {
        using var manager = await fixture.AppointedManagerAsync(Home);
        var id = await RegisterAsync(manager, Home, new { title = "平凡的世界", author = "路遥", isbn = "978-7-5302-1200-4" });
        Assert.Contains(id, await ShelfAsync(Home, available: true));

        using var rider = await fixture.RiderAsync();
        var before = DateTimeOffset.UtcNow;
        var lent = await rider.PostAsync($"/api/v1/books/{id}/loans", null);
        Assert.Equal(HttpStatusCode.Created, lent.StatusCode);
        var dueAt = (await lent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dueAt").GetDateTimeOffset();
        Assert.InRange(dueAt, before + ClusterFixture.LoanPeriod - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + ClusterFixture.LoanPeriod);
        Assert.DoesNotContain(id, await ShelfAsync(Home, available: true));
        Assert.Contains(id, await ShelfAsync(Home, available: false));
        using var other = await fixture.RiderAsync();
        await ProblemAssert.IsProblemAsync(await other.PostAsync($"/api/v1/books/{id}/loans", null), HttpStatusCode.Conflict);

        var returned = await rider.PostAsJsonAsync($"/api/v1/books/{id}/return", new { stationId = Elsewhere });
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        var book = await returned.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Elsewhere, book.GetProperty("stationId").GetString());
        Assert.True(book.GetProperty("available").GetBoolean());
        Assert.True(await Eventually.TrueAsync(async () => (await ShelfAsync(Elsewhere, available: true)).Contains(id)));
        Assert.DoesNotContain(id, await ShelfAsync(Home, available: false));
        Assert.Equal("9787530212004", book.GetProperty("isbn").GetString());
    }

    [Fact]
    public async Task ARiderBorrowingThreeBooksAtOnceGetsExactlyTwo()
    {
        using var op = await fixture.OperatorAsync("hujialou");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await RegisterAsync(op, Home, new { title = $"Book {i}" }));
        }
        using var rider = await fixture.RiderAsync();

        var answers = await Task.WhenAll(ids.Select(id => rider.PostAsync($"/api/v1/books/{id}/loans", null)));

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        await ProblemAssert.IsProblemAsync(answers.Single(a => a.StatusCode != HttpStatusCode.Created), HttpStatusCode.Conflict);
        var shelf = await ShelfAsync(Home, available: true);
        Assert.Single(ids, shelf.Contains);
    }

    [Fact]
    public async Task OnlyTheBorrowerOrTheReturningStationsStaffTakeABookBack()
    {
        using var manager = await fixture.AppointedManagerAsync(Home);
        var id = await RegisterAsync(manager, Home, new { title = "骆驼祥子" });
        using var borrower = await fixture.RiderAsync();
        using var other = await fixture.RiderAsync();
        Assert.Equal(HttpStatusCode.Created, (await borrower.PostAsync($"/api/v1/books/{id}/loans", null)).StatusCode);

        await ProblemAssert.IsProblemAsync(await other.PostAsJsonAsync($"/api/v1/books/{id}/return", new { }), HttpStatusCode.Forbidden);
        using var elsewhereManager = await fixture.AppointedManagerAsync(Elsewhere);
        await ProblemAssert.IsProblemAsync(await elsewhereManager.PostAsJsonAsync($"/api/v1/books/{id}/return", new { stationId = Home }), HttpStatusCode.Forbidden);
        using var jianwai = await fixture.OperatorAsync("jianwai");
        await ProblemAssert.IsProblemAsync(await jianwai.PostAsJsonAsync($"/api/v1/books/{id}/return", new { }), HttpStatusCode.Forbidden);
        using var admin = await fixture.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync($"/api/v1/books/{id}/return", new { })).StatusCode);
        await ProblemAssert.IsValidationProblemAsync(await borrower.PostAsJsonAsync($"/api/v1/books/{id}/return", new { stationId = "cy-nowhere-999" }), "stationId");
        await ProblemAssert.IsValidationProblemAsync(await borrower.PostAsJsonAsync($"/api/v1/books/{id}/return", new { stationId = " " }), "stationId");
        Assert.False((await borrower.GetFromJsonAsync<JsonElement>($"/api/v1/books/{id}")).GetProperty("available").GetBoolean());

        // A manager takes it back at their own station: it moves there.
        var taken = await elsewhereManager.PostAsJsonAsync($"/api/v1/books/{id}/return", new { stationId = Elsewhere });
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal(Elsewhere, (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stationId").GetString());
        await ProblemAssert.IsProblemAsync(await borrower.PostAsJsonAsync($"/api/v1/books/{id}/return", new { }), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await borrower.PostAsync("/api/v1/books/book-unknown/loans", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await borrower.PostAsJsonAsync("/api/v1/books/book-unknown/return", new { }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadBooksAreRefusedNamingTheFieldAndNothingIsStored()
    {
        using var manager = await fixture.AppointedManagerAsync(Elsewhere);
        var before = (await ShelfAsync(Elsewhere, available: false)).Count;
        var cases = new (object Body, string Field)[]
        {
            (new { title = "" }, "title"),
            (new { title = "   " }, "title"),
            (new { title = new string('书', 10_000) }, "title"),
            (new { title = "Book\u0000" }, "title"),
            (new { title = "Book", author = new string('a', 10_000) }, "author"),
            (new { title = "Book", isbn = "978-7-5302-1200-3" }, "isbn"),
            (new { title = "Book", isbn = "not an isbn" }, "isbn"),
        };
        foreach (var (body, field) in cases)
        {
            await ProblemAssert.IsValidationProblemAsync(await manager.PostAsJsonAsync($"/api/v1/stations/{Elsewhere}/books", body), field);
        }
        using var rider = await fixture.RiderAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PostAsJsonAsync($"/api/v1/stations/{Elsewhere}/books", new { title = "Book" })).StatusCode);
        using var homeManager = await fixture.AppointedManagerAsync(Home);
        await ProblemAssert.IsProblemAsync(await homeManager.PostAsJsonAsync($"/api/v1/stations/{Elsewhere}/books", new { title = "Book" }), HttpStatusCode.Forbidden);
        Assert.Equal(before, (await ShelfAsync(Elsewhere, available: false)).Count);

        await RegisterAsync(manager, Elsewhere, new { title = "Book", isbn = "0-306-40615-2" });
        await ProblemAssert.IsProblemAsync(await manager.PostAsJsonAsync("/api/v1/stations/cy-nowhere-999/books", new { title = "Book" }), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.GetAsync("/api/v1/stations/cy-nowhere-999/books"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.GetAsync("/api/v1/books/book-unknown"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnIdempotencyKeyReplaysTheFirstBookAndRefusesAnotherBody()
    {
        using var manager = await fixture.AppointedManagerAsync(Home);
        var key = Guid.NewGuid().ToString();
        var first = await RegisterAsync(manager, Home, new { title = "围城", author = "钱锺书" }, key);
        var before = (await ShelfAsync(Home, available: false)).Count;

        Assert.Equal(first, await RegisterAsync(manager, Home, new { title = "围城", author = "钱锺书" }, key));
        using var other = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{Home}/books") { Content = JsonContent.Create(new { title = "边城" }) };
        other.Headers.Add("Idempotency-Key", key);
        await ProblemAssert.IsProblemAsync(await manager.SendAsync(other), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, (await ShelfAsync(Home, available: false)).Count);
    }

    private static async Task<string> RegisterAsync(HttpClient client, string stationId, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{stationId}/books") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var book = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(book.GetProperty("available").GetBoolean());
        return book.GetProperty("id").GetString()!;
    }

    private async Task<List<string>> ShelfAsync(string stationId, bool available)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var books = await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{stationId}/books?available={available}&page={page}&pageSize=100");
            ids.AddRange(books.EnumerateArray().Select(b => b.GetProperty("id").GetString()!));
            if (books.GetArrayLength() < 100)
            {
                return ids;
            }
        }
    }
}
