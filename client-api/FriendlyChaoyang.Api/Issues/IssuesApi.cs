using System.Globalization;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Issues.Photos;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Issues;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Issues;

public sealed record IssueResponse(
    string Id,
    string Category,
    double Lat,
    double Lon,
    string Description,
    string Status,
    string SubdistrictId,
    DateTimeOffset ReportedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    int CoReporters,
    string PhotoUrl,
    IReadOnlyList<IssueHistoryEntry> History)
{
    public static IssueResponse From(IssueView v) => new(
        v.Id, v.Category, v.Lat, v.Lon, v.Description, v.Status, v.SubdistrictId, v.ReportedAt, v.DueAt, v.Overdue,
        v.CoReporters, $"/api/v1/issues/{v.Id}/photo", v.History);
}

public sealed record TransitionRequest(string? To, string? Note);

public static class IssuesApi
{
    public const int MaxPhotoBytes = 8 * 1024 * 1024;

    /// <summary>The whole multipart body: the photo plus room for the other fields and part headers.</summary>
    public const int MaxRequestBytes = MaxPhotoBytes + (64 * 1024);

    public const int MaxDescriptionLength = 500;

    /// <summary>"Inside Beijing" for reports (DESIGN.md).</summary>
    public const double MinLat = 39.44, MaxLat = 41.06, MinLon = 115.42, MaxLon = 117.51;

    public static IEndpointRouteBuilder MapIssuesApi(this IEndpointRouteBuilder app)
    {
        var issues = app.MapGroup("/api/v1/issues").WithTags("Issues");
        issues.MapPost("/", ReportAsync).RequireAuthorization(Policies.Rider)
            .WithSummary("Report a hazard (multipart/form-data: category, lat, lon, description, photo). Optional Idempotency-Key header.")
            .Accepts<IFormFile>("multipart/form-data");
        issues.MapGet("/{id}", GetAsync).RequireAuthorization().WithSummary("One issue with its history.");
        issues.MapGet("/{id}/photo", GetPhotoAsync).RequireAuthorization().WithSummary("The issue's photo, metadata stripped.");
        issues.MapPost("/{id}/transitions", TransitionAsync).RequireAuthorization(Policies.Operator)
            .WithSummary("Move the issue: submitted -> dispatched -> on_site -> resolved, or to rejected. Operators of its subdistrict only.");
        app.MapGet("/api/v1/operator/issues", QueueAsync).WithTags("Issues").RequireAuthorization(Policies.Operator)
            .WithSummary("The operator's subdistrict queue: open issues, overdue first, then oldest first.");
        return app;
    }

    public static async Task<Results<Created<IssueReceipt>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        HttpContext http,
        ClaimsPrincipal user,
        IClusterClient cluster,
        PhotoStore photos,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey)
    {
        var riderId = user.RiderId();
        if (IdempotencyKeys.Problem(idempotencyKey) is { } badKey)
        {
            return badKey;
        }
        var id = "iss-" + IdempotencyKeys.IdFor("issue", riderId, idempotencyKey, 24).ToLowerInvariant();
        var grain = cluster.GetGrain<IIssueGrain>(id);
        if (idempotencyKey is not null && await grain.GetReceiptAsync() is { } first)
        {
            return Created(first);
        }

        var (form, formProblem) = await ReportForm.ReadAsync(http);
        if (form is null)
        {
            return formProblem!;
        }

        var errors = new Dictionary<string, string[]>();
        var categories = await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync();
        var category = form["category"].ToString();
        if (categories.All(c => c.Id != category))
        {
            errors["category"] = [$"Required: one of {string.Join(", ", categories.Select(c => c.Id))}."];
        }
        var lat = ParseCoordinate(form["lat"], MinLat, MaxLat, "lat", "latitude", errors);
        var lon = ParseCoordinate(form["lon"], MinLon, MaxLon, "lon", "longitude", errors);
        var description = form["description"].ToString().Trim();
        if (description.Length > MaxDescriptionLength || form["description"].Count > 1)
        {
            errors["description"] = [$"At most {MaxDescriptionLength} characters."];
        }
        var photo = await ReadPhotoAsync(form.Files, errors, http.RequestAborted);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var hash = await photos.PutAsync(photo!, http.RequestAborted);
        var submitted = await grain.SubmitAsync(new NewIssue(riderId, category, lat, lon, description, hash));
        return submitted.Receipt is { } receipt
            ? Created(receipt)
            : TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [submitted.Outcome == SubmitOutcome.UnknownCategory ? "category" : "lat"] = [$"Refused: {submitted.Outcome}."],
            });
    }

    public static async Task<Results<Ok<IssueResponse>, ProblemHttpResult>> GetAsync(string id, IClusterClient cluster)
    {
        var issue = await cluster.GetGrain<IIssueGrain>(id).GetAsync();
        return issue is null ? IssueNotFound(id) : TypedResults.Ok(IssueResponse.From(issue));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetPhotoAsync(
        string id, IClusterClient cluster, PhotoStore photos, CancellationToken cancellationToken)
    {
        var issue = await cluster.GetGrain<IIssueGrain>(id).GetAsync();
        if (issue is null)
        {
            return IssueNotFound(id);
        }
        var photo = await photos.GetAsync(issue.PhotoHash, cancellationToken);
        if (photo is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Photo not found.",
                detail: $"The photo of issue {id} is not in the photo store.");
        }
        return TypedResults.File(photo.Content, photo.ContentType);
    }

    public static async Task<Results<Ok<IssueResponse>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        string id, TransitionRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.To is null || !IssueStatuses.All.Contains(request.To) || request.To == IssueStatuses.Submitted)
        {
            errors["to"] = ["One of: dispatched, on_site, resolved, rejected."];
        }
        if (request.Note is { Length: > MaxDescriptionLength })
        {
            errors["note"] = [$"At most {MaxDescriptionLength} characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var result = await cluster.GetGrain<IIssueGrain>(id)
            .TransitionAsync(new IssueTransition(request.To!, request.Note, user.RiderId(), user.Subdistrict()!));
        return result.Outcome switch
        {
            TransitionOutcome.Moved or TransitionOutcome.Unchanged => TypedResults.Ok(IssueResponse.From(result.Issue!)),
            TransitionOutcome.NotFound => IssueNotFound(id),
            TransitionOutcome.WrongSubdistrict => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Not your subdistrict.", detail: $"Issue {id} belongs to another subdistrict's emergency team."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Illegal status change.",
                detail: $"Issue {id} is {result.Issue!.Status}; it cannot move to {request.To}."),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<QueuedIssue>>, ValidationProblem>> QueueAsync(
        ClaimsPrincipal user, IClusterClient cluster, string? status)
    {
        if (status is not null && status != "open" && !(IssueStatuses.All.Contains(status) && IssueStatuses.IsOpen(status)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = ["One of: open (default), submitted, dispatched, on_site."],
            });
        }
        var queue = await cluster.GetGrain<ISubdistrictIssuesGrain>(user.Subdistrict()!).ListAsync();
        IReadOnlyList<QueuedIssue> shown = status is null or "open" ? queue : [.. queue.Where(i => i.Status == status)];
        return TypedResults.Ok(shown);
    }

    private static double ParseCoordinate(
        Microsoft.Extensions.Primitives.StringValues raw, double min, double max, string field, string what, Dictionary<string, string[]> errors)
    {
        if (raw.Count == 1 && double.TryParse(raw[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }
        errors[field] = [$"Required: a {what} inside Beijing ({min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)})."];
        return double.NaN;
    }

    private static async Task<byte[]?> ReadPhotoAsync(IFormFileCollection files, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var photo = files.GetFile("photo");
        if (photo is null || photo.Length == 0)
        {
            errors["photo"] = ["Required: a JPEG, PNG or WebP image."];
            return null;
        }
        if (photo.Length > MaxPhotoBytes)
        {
            errors["photo"] = [$"At most {MaxPhotoBytes / (1024 * 1024)} MB."];
            return null;
        }
        var content = new byte[photo.Length];
        await using (var stream = photo.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, cancellationToken);
        }
        if (PhotoFormats.Detect(content) == PhotoFormat.Unknown)
        {
            errors["photo"] = ["Not a JPEG, PNG or WebP image (recognised by content, not by name)."];
            return null;
        }
        try
        {
            return PhotoMetadataStripper.Strip(content);
        }
        catch (InvalidPhotoException ex)
        {
            errors["photo"] = [ex.Message];
            return null;
        }
    }

    private static Created<IssueReceipt> Created(IssueReceipt receipt) => TypedResults.Created($"/api/v1/issues/{receipt.Id}", receipt);

    private static ProblemHttpResult IssueNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such issue.", detail: $"There is no issue '{id}'.");
}
