using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Stations;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Books;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Books;

public sealed record RegisterBookRequest(
    [property: Required(ErrorMessage = "Required: the book's title."),
        StringLength(BookLimits.MaxTitleLength, ErrorMessage = "At most {1} characters."), PlainText]
    string? Title,
    [property: StringLength(BookLimits.MaxAuthorLength, ErrorMessage = "At most {1} characters."), PlainText] string? Author,
    [property: Isbn] string? Isbn);

/// <param name="StationId">The station whose shelf takes the book; default: the one it was lent from.</param>
public sealed record ReturnBookRequest(string? StationId);

public sealed record LoanResponse(string BookId, DateTimeOffset DueAt);

public static class BooksApi
{
    public static IEndpointRouteBuilder MapBooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/stations/{id}/books", RegisterAsync).WithTags("Books")
            .RequireAuthorization(StationStaff.Roles)
            .WithName("registerBook")
            .WithSummary("Put a book on the station's shelf (不卖书书店: swapped, never sold).")
            .WithDescription("{title, author?, isbn?} (ISBN-10 or ISBN-13 with a valid check digit). For the station's managers and the " +
                "operators of its subdistrict (others get 403). An optional Idempotency-Key header makes a repeat with the same body " +
                "return the first book; the same key with another body is 422 and changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        app.MapGet("/api/v1/stations/{id}/books", ListAsync).WithTags("Books")
            .WithName("listStationBooks")
            .WithSummary("The books on the station's shelf.")
            .WithDescription("Books standing on this shelf or lent from it (available=true: only those on the shelf now), in the order " +
                $"they came to it. page (default 1) and pageSize (1-{PageRequest.MaxPageSize}, default {PageRequest.DefaultPageSize}). Anonymous.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        var books = app.MapGroup("/api/v1/books").WithTags("Books");
        books.MapGet("/{id}", GetAsync)
            .WithName("getBook")
            .WithSummary("One book: where it stands and whether it is lent.")
            .WithDescription("available is false while the book is lent; dueAt says when it is due back. Anonymous.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        books.MapPost("/{id}/loans", BorrowAsync).RequireAuthorization(Policies.Rider)
            .WithName("borrowBook")
            .WithSummary("Borrow a book.")
            .WithDescription("Answers when it is due back (default 14 days); past that the rider gets one 'book_overdue' notification. " +
                "A lent book is 409, and so is a third book while a rider has two. Repeating it for a book the rider has answers the same loan.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        books.MapPost("/{id}/return", ReturnAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Rider},{Roles.Manager},{Roles.Operator}" })
            .WithName("returnBook")
            .WithSummary("Return a book, at any station.")
            .WithDescription("{stationId?}: the shelf that takes it (default: the station it was lent from); the book moves there. " +
                "The rider who borrowed it, or a manager or operator of that station (others get 403). A book on a shelf is 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<BookView>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        string id,
        RegisterBookRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var refusal = await cluster.StationRunByAsync(id, user);
        if (refusal is not null)
        {
            return refusal;
        }
        var title = request.Title!.Trim();
        var author = string.IsNullOrWhiteSpace(request.Author) ? null : request.Author.Trim();
        var isbn = request.Isbn is null ? null : IsbnAttribute.Normalize(request.Isbn);
        var bookId = "book-" + ids.IdFor("book", user.RiderId(), idempotencyKey, 20).ToLowerInvariant();
        var result = await cluster.GetGrain<IBookGrain>(bookId)
            .RegisterAsync(new NewBook(id, title, author, isbn, user.RiderId()), RequestFingerprint.Of(id, title, author, isbn));
        return result.Outcome switch
        {
            BookOutcome.Answered => TypedResults.Created($"/api/v1/books/{bookId}", result.Book),
            BookOutcome.DifferentRequest => IdempotencyKeys.ReusedWithAnotherRequest("registered another book"),
            _ => throw Unexpected(result.Outcome),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<BookView>>, ProblemHttpResult>> ListAsync(
        string id, [AsParameters] PageRequest paging, bool? available, IClusterClient cluster)
    {
        var books = await cluster.GetGrain<IStationGrain>(id).ListBooksAsync(available ?? false, paging.PageOrFirst, paging.PageSizeOrDefault);
        return books is null ? StationProblems.NotFound(id) : TypedResults.Ok(books);
    }

    public static async Task<Results<Ok<BookView>, ProblemHttpResult>> GetAsync(string id, IClusterClient cluster)
    {
        var book = await cluster.GetGrain<IBookGrain>(id).GetAsync();
        return book is null ? BookNotFound(id) : TypedResults.Ok(book);
    }

    public static async Task<Results<Created<LoanResponse>, ProblemHttpResult>> BorrowAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        // Asked first so that an unknown id leaves no trace in the rider's loan record.
        if (await cluster.GetGrain<IBookGrain>(id).GetAsync() is null)
        {
            return BookNotFound(id);
        }
        var result = await cluster.GetGrain<IRiderLoansGrain>(user.RiderId()).BorrowAsync(id);
        return result.Outcome switch
        {
            BookOutcome.Answered => TypedResults.Created($"/api/v1/books/{id}", new LoanResponse(id, result.Book!.DueAt!.Value)),
            BookOutcome.NotFound => BookNotFound(id),
            BookOutcome.AlreadyLent => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Book lent.", detail: $"Book {id} is lent to someone else; it is due back at {result.Book!.DueAt:O}."),
            BookOutcome.LoanLimitReached => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Loan limit reached.", detail: "You have as many books as a rider may borrow; return one first."),
            _ => throw Unexpected(result.Outcome),
        };
    }

    public static async Task<Results<Ok<BookView>, ValidationProblem, ProblemHttpResult>> ReturnAsync(
        string id, [FromBody] ReturnBookRequest? request, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (request?.StationId is { } requested && !RouteIds.IsValid(requested))
        {
            return UnknownStation(requested);
        }
        if (await cluster.GetGrain<IBookGrain>(id).GetAsync() is not { } book)
        {
            return BookNotFound(id);
        }
        var stationId = request?.StationId ?? book.StationId;
        var riderId = user.IsInRole(Roles.Rider) ? user.RiderId() : null;
        if (riderId is null)
        {
            var refusal = await cluster.StationRunByAsync(stationId, user);
            if (refusal is not null)
            {
                return refusal.StatusCode == StatusCodes.Status404NotFound ? UnknownStation(stationId) : refusal;
            }
        }
        else if (await cluster.GetGrain<IStationGrain>(stationId).GetAsync() is null)
        {
            return UnknownStation(stationId);
        }
        var result = await cluster.GetGrain<IBookGrain>(id).ReturnAsync(new BookReturn(stationId, riderId));
        return result.Outcome switch
        {
            BookOutcome.Answered => TypedResults.Ok(result.Book),
            BookOutcome.NotFound => BookNotFound(id),
            BookOutcome.NotLent => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Book not lent.", detail: $"Book {id} is on the shelf of station {result.Book!.StationId}."),
            BookOutcome.NotBorrower => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Not your loan.", detail: $"Book {id} is lent to another rider; they or the station's staff return it."),
            _ => throw Unexpected(result.Outcome),
        };
    }

    private static ValidationProblem UnknownStation(string stationId) => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["stationId"] = [$"No station '{stationId}'."],
    });

    private static InvalidOperationException Unexpected(BookOutcome outcome) => new($"The book grain answered {outcome}.");

    private static ProblemHttpResult BookNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such book.", detail: $"There is no book '{id}'.");
}
