using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Stations;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Polls;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Polls;

/// <param name="Options">The answers riders choose from, in order; a vote names one by its index (0-based).</param>
/// <param name="ClosesAt">When voting ends: in the future, at most a year ahead.</param>
public sealed record OpenPollRequest(
    [property: Required(ErrorMessage = "Required: the question riders answer."),
        StringLength(PollLimits.MaxQuestionLength, ErrorMessage = "At most {1} characters."), PlainText]
    string? Question,
    [property: Required(ErrorMessage = "Required: 2 to 6 answers."),
        Length(PollLimits.MinOptions, PollLimits.MaxOptions, ErrorMessage = "From {1} to {2} answers.")]
    IReadOnlyList<string?>? Options,
    [property: Required(ErrorMessage = "Required: when voting ends (ISO 8601, in the future).")] DateTimeOffset? ClosesAt) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (Options?.Count ?? 0); i++)
        {
            var option = Options![i]?.Trim();
            string[] field = [$"{nameof(Options)}[{i}]"];
            if (string.IsNullOrEmpty(option))
            {
                yield return new ValidationResult("Required: the answer's text.", field);
            }
            else if (option.Length > PollLimits.MaxOptionLength)
            {
                yield return new ValidationResult($"At most {PollLimits.MaxOptionLength} characters.", field);
            }
            else if (!PlainTextAttribute.IsPlain(option, multiline: false))
            {
                yield return new ValidationResult(PlainTextAttribute.Message, field);
            }
            else if (!seen.Add(option))
            {
                yield return new ValidationResult("The same answer twice.", field);
            }
        }
    }
}

/// <param name="Option">The index (0-based) of the chosen answer in the poll's options.</param>
public sealed record VoteRequest(
    [property: Required(ErrorMessage = "Required: the index of an answer (0-based)."),
        Range(0, PollLimits.MaxOptions - 1, ErrorMessage = "The index of one of the poll's answers (0-based).")]
    int? Option);

public static class PollsApi
{
    /// <summary>How far ahead a poll may close.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapPollsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/stations/{id}/polls", OpenAsync).WithTags("Polls").RequireAuthorization(StationStaff.Roles)
            .WithName("openPoll")
            .WithSummary("Ask the station's riders a question (驿站如何改？骑手说了算).")
            .WithDescription($"{{question, options: {PollLimits.MinOptions}-{PollLimits.MaxOptions} answers, closesAt}}. For the " +
                "station's managers and the operators of its subdistrict (others get 403). closesAt must lie in the future (at most a " +
                "year ahead). An optional Idempotency-Key header makes a repeat with the same body return the first poll; the same " +
                "key with another body is 422 and changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        app.MapGet("/api/v1/stations/{id}/polls", ListAsync).WithTags("Polls")
            .WithName("listStationPolls")
            .WithSummary("The station's polls with live results, newest first.")
            .WithDescription($"page (default 1) and pageSize (1-{PageRequest.MaxPageSize}, default {PageRequest.DefaultPageSize}). Anonymous.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        var polls = app.MapGroup("/api/v1/polls").WithTags("Polls");
        polls.MapGet("/{id}", GetAsync)
            .WithName("getPoll")
            .WithSummary("One poll with its live results.")
            .WithDescription("Each answer with its votes so far, closesAt and whether voting has closed. Anonymous.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        polls.MapPost("/{id}/votes", VoteAsync).RequireAuthorization(Policies.Rider)
            .WithName("votePoll")
            .WithSummary("Vote in a poll.")
            .WithDescription("{\"option\": index} (0-based). One vote per rider: a second vote is 409, and so is a vote after closesAt. " +
                "Answers the poll with the vote counted.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<PollView>, ValidationProblem, ProblemHttpResult>> OpenAsync(
        string id,
        OpenPollRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        TimeProvider clock,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var closesAt = request.ClosesAt!.Value;
        var now = clock.GetUtcNow();
        if (closesAt <= now || closesAt > now + MaxDuration)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["closesAt"] = ["Must lie in the future, at most a year ahead."],
            });
        }
        var refusal = await cluster.StationRunByAsync(id, user);
        if (refusal is not null)
        {
            return refusal;
        }
        var question = request.Question!.Trim();
        List<string> options = [.. request.Options!.Select(o => o!.Trim())];
        var fingerprint = RequestFingerprint.Of([id, question, closesAt.ToString("O", CultureInfo.InvariantCulture), .. options]);
        var pollId = "poll-" + ids.IdFor("poll", user.RiderId(), idempotencyKey, 20).ToLowerInvariant();
        var result = await cluster.GetGrain<IPollGrain>(pollId).OpenAsync(new NewPoll(id, question, options, closesAt, user.RiderId()), fingerprint);
        return result.Outcome switch
        {
            PollOutcome.Answered => TypedResults.Created($"/api/v1/polls/{pollId}", result.Poll),
            PollOutcome.DifferentRequest => IdempotencyKeys.ReusedWithAnotherRequest("opened another poll"),
            _ => throw Unexpected(result.Outcome),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<PollView>>, ProblemHttpResult>> ListAsync(
        string id, [AsParameters] PageRequest paging, IClusterClient cluster)
    {
        var polls = await cluster.GetGrain<IStationGrain>(id).ListPollsAsync(paging.PageOrFirst, paging.PageSizeOrDefault);
        return polls is null ? StationProblems.NotFound(id) : TypedResults.Ok(polls);
    }

    public static async Task<Results<Ok<PollView>, ProblemHttpResult>> GetAsync(string id, IClusterClient cluster)
    {
        var poll = await cluster.GetGrain<IPollGrain>(id).GetAsync();
        return poll is null ? PollNotFound(id) : TypedResults.Ok(poll);
    }

    public static async Task<Results<Created<PollView>, ValidationProblem, ProblemHttpResult>> VoteAsync(
        string id, VoteRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IPollGrain>(id).VoteAsync(user.RiderId(), request.Option!.Value);
        return result.Outcome switch
        {
            PollOutcome.Answered => TypedResults.Created($"/api/v1/polls/{id}", result.Poll),
            PollOutcome.NotFound => PollNotFound(id),
            // The number of answers lives in the poll, so the grain finds an index past them.
            PollOutcome.NoSuchOption => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["option"] = [$"This poll has {result.Poll!.Options.Count} answers: 0 to {result.Poll.Options.Count - 1}."],
            }),
            PollOutcome.AlreadyVoted => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Already voted.", detail: $"You have voted in poll {id}; each rider votes once."),
            PollOutcome.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Poll closed.", detail: $"Voting in poll {id} closed at {result.Poll!.ClosesAt:O}."),
            _ => throw Unexpected(result.Outcome),
        };
    }

    private static InvalidOperationException Unexpected(PollOutcome outcome) => new($"The poll grain answered {outcome}.");

    private static ProblemHttpResult PollNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such poll.", detail: $"There is no poll '{id}'.");
}
