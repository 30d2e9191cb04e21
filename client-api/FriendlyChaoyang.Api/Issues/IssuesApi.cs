using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Issues.Photos;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Issues;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Issues;

/// <param name="Description">Null in the public view.</param>
/// <param name="PhotoUrl">Null in the public view.</param>
/// <param name="History">Each entry's <c>by</c> is null in the public view.</param>
/// <param name="DueResolveAt">When it should be fixed (reportedAt + its category's resolveHours); null if its category is gone.</param>
public sealed record IssueResponse(
    string Id,
    string Category,
    double Lat,
    double Lon,
    string? Description,
    string Status,
    string SubdistrictId,
    DateTimeOffset ReportedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    int CoReporters,
    string? PhotoUrl,
    IReadOnlyList<IssueHistoryEntry> History,
    DateTimeOffset? DueResolveAt = null)
{
    public static IssueResponse From(IssueView v) => new(
        v.Id, v.Category, v.Lat, v.Lon, v.Description, v.Status, v.SubdistrictId, v.ReportedAt, v.DueAt, v.Overdue,
        v.CoReporters, v.PhotoHash is null ? null : $"/api/v1/issues/{v.Id}/photo", v.History, v.DueResolveAt);
}

public sealed record TransitionRequest(
    [property: Required(ErrorMessage = "One of: dispatched, on_site, resolved, rejected."),
        AllowedValues(IssueStatuses.Dispatched, IssueStatuses.OnSite, IssueStatuses.Resolved, IssueStatuses.Rejected,
            ErrorMessage = "One of: dispatched, on_site, resolved, rejected.")]
    string? To,
    [property: StringLength(IssuesApi.MaxDescriptionLength, ErrorMessage = "At most {1} characters."), PlainText(Multiline = true)] string? Note);

/// <summary>The query of GET /api/v1/operator/issues.</summary>
public sealed record OperatorQueueRequest(
    [property: AllowedValues(null, "open", IssueStatuses.Submitted, IssueStatuses.Dispatched, IssueStatuses.OnSite,
        ErrorMessage = "One of: open (default), submitted, dispatched, on_site.")]
    string? Status);

/// <summary>The multipart/form-data body of POST /api/v1/issues, as the OpenAPI document describes it (the handler reads the form itself).</summary>
public sealed record IssueReportForm(string Category, double Lat, double Lon, IFormFile Photo, string? Description = null);

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
            .WithName("reportIssue")
            .WithSummary("Report a hazard with a photo.")
            .WithDescription("multipart/form-data: category (an id from listIssueCategories), lat and lon inside Beijing, description " +
                "(at most 500 characters) and photo (JPEG, PNG or WebP, at most 8 MB; its metadata is stripped). The report goes to the " +
                "subdistrict's queue, or is linked to an open issue of its category within 50 m (duplicateOf). An optional Idempotency-Key " +
                "header makes a repeat of the same report return the first receipt; the same key with a different report is 422.")
            .Accepts<IssueReportForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        issues.MapGet("/{id}", GetAsync).RequireAuthorization()
            .WithName("getIssue")
            .WithSummary("One issue with its history.")
            .WithDescription("Status, response deadline (dueAt, overdue), co-reporters, the photo's URL and every status change. " +
                "A report linked as a duplicate answers the issue it follows. Its reporter and co-reporters, operators of its " +
                "subdistrict and admins see it in full; everyone else sees the public view: description, photoUrl and each " +
                "history entry's by are null (no rider identity, no free text or photo that could identify the reporter).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        issues.MapGet("/{id}/photo", GetPhotoAsync).RequireAuthorization()
            .WithName("getIssuePhoto")
            .WithSummary("The issue's photo.")
            .WithDescription("The stored image (JPEG, PNG or WebP) with its metadata (EXIF, GPS, text chunks) stripped. Only for " +
                "those who see the issue in full (see getIssue); for everyone else it is 404, as if there were no photo.")
            .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg", "image/png", "image/webp")
            .ProducesProblem(StatusCodes.Status404NotFound);
        issues.MapPost("/{id}/transitions", TransitionAsync).RequireAuthorization(Policies.Operator)
            .WithName("transitionIssue")
            .WithSummary("Move the issue to its next status.")
            .WithDescription("submitted -> dispatched -> on_site -> resolved, or to rejected; repeating the current status changes nothing. " +
                "Operators of the issue's subdistrict only (another subdistrict's operator gets 403); an illegal move is 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/api/v1/operator/issues", QueueAsync).WithTags("Issues").RequireAuthorization(Policies.Operator)
            .WithName("operatorQueue")
            .WithSummary("The operator's subdistrict queue.")
            .WithDescription("Open issues of the operator's subdistrict, overdue first, then oldest first. status = open (default), " +
                "submitted, dispatched or on_site.");
        return app;
    }

    public static async Task<Results<Created<IssueReceipt>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        HttpContext http,
        ClaimsPrincipal user,
        IClusterClient cluster,
        PhotoStore photos,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
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
        else if (!PlainTextAttribute.IsPlain(description, multiline: true))
        {
            errors["description"] = [PlainTextAttribute.Message];
        }
        var photo = await ReadPhotoAsync(form.Files.GetFile("photo"), "photo", errors, http.RequestAborted);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The photo as uploaded, not as stored: a retry sends the same bytes, so it matches even after a change to what the
        // stripper keeps; and two uploads that differ only in their metadata are different requests.
        var fingerprint = RequestFingerprint.Of(category, lat.ToString("R", CultureInfo.InvariantCulture),
            lon.ToString("R", CultureInfo.InvariantCulture), description, photo!.UploadHash);
        var riderId = user.RiderId();
        var grain = cluster.GetGrain<IIssueGrain>("iss-" + ids.IdFor("issue", riderId, idempotencyKey, 24).ToLowerInvariant());
        // A repeated key is answered before the photo is stored, so a refused replay stores nothing.
        if (idempotencyKey is not null && await grain.ReplayAsync(fingerprint) is { } replayed)
        {
            return Answer(replayed);
        }
        var hash = await photos.PutAsync(photo.Stripped, http.RequestAborted);
        return Answer(await grain.SubmitAsync(new NewIssue(riderId, category, lat, lon, description, hash), fingerprint));
    }

    private static Results<Created<IssueReceipt>, ValidationProblem, ProblemHttpResult> Answer(SubmitResult result) => result.Outcome switch
    {
        SubmitOutcome.Filed => Created(result.Receipt!),
        SubmitOutcome.DifferentRequest => IdempotencyKeys.ReusedWithAnotherRequest("filed a different report"),
        _ => TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            [result.Outcome == SubmitOutcome.UnknownCategory ? "category" : "lat"] = [$"Refused: {result.Outcome}."],
        }),
    };

    public static async Task<Results<Ok<IssueResponse>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var issue = await cluster.GetGrain<IIssueGrain>(id).GetAsync(ViewerOf(user));
        return issue is null ? IssueNotFound(id) : TypedResults.Ok(IssueResponse.From(issue));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetPhotoAsync(
        string id, ClaimsPrincipal user, IClusterClient cluster, PhotoStore photos, CancellationToken cancellationToken)
    {
        var issue = await cluster.GetGrain<IIssueGrain>(id).GetAsync(ViewerOf(user));
        if (issue is null)
        {
            return IssueNotFound(id);
        }
        // Who sees only the public view gets the same 404 as for a photo missing from the store, not a 403: the issue is
        // theirs to read, its photo does not exist for them (photoUrl is null), and a 403 would confirm that a photo exists
        // and that others may see it (RFC 9110 15.5.5 allows a 404 to hide a forbidden resource).
        var photo = issue.PhotoHash is null ? null : await photos.GetAsync(issue.PhotoHash, cancellationToken);
        return photo is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Photo not found.", detail: $"There is no photo of issue '{id}'.")
            : TypedResults.File(photo.Content, photo.ContentType);
    }

    /// <summary>What the issue needs to know about the caller to pick its view; other roles see the public view.</summary>
    private static IssueViewer ViewerOf(ClaimsPrincipal user) => new(
        user.IsInRole(Roles.Rider) ? user.Subject() : null,
        user.IsInRole(Roles.Operator) ? user.Subdistrict() : null,
        user.IsInRole(Roles.Admin));

    public static async Task<Results<Ok<IssueResponse>, ProblemHttpResult>> TransitionAsync(
        string id, TransitionRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
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

    public static async Task<Ok<IReadOnlyList<QueuedIssue>>> QueueAsync(
        [AsParameters] OperatorQueueRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var queue = await cluster.GetGrain<ISubdistrictIssuesGrain>(user.Subdistrict()!).ListAsync();
        IReadOnlyList<QueuedIssue> shown = request.Status is null or "open" ? queue : [.. queue.Where(i => i.Status == request.Status)];
        return TypedResults.Ok(shown);
    }

    /// <summary>A latitude or longitude inside [min, max]; else NaN, with the error recorded under <paramref name="field"/>.</summary>
    public static double ParseCoordinate(
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

    /// <param name="Stripped">What is stored: the image without its metadata.</param>
    /// <param name="UploadHash">SHA-256 (hex) of the bytes the client sent.</param>
    public sealed record UploadedPhoto(byte[] Stripped, string UploadHash);

    /// <summary>The upload checked by content (magic bytes), size-limited and stripped of its metadata; else null, with the error under <paramref name="field"/>.</summary>
    public static async Task<UploadedPhoto?> ReadPhotoAsync(
        IFormFile? photo, string field, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (photo is null || photo.Length == 0)
        {
            errors[field] = ["Required: a JPEG, PNG or WebP image."];
            return null;
        }
        if (photo.Length > MaxPhotoBytes)
        {
            errors[field] = [$"At most {MaxPhotoBytes / (1024 * 1024)} MB."];
            return null;
        }
        var content = new byte[photo.Length];
        await using (var stream = photo.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, cancellationToken);
        }
        if (PhotoFormats.Detect(content) == PhotoFormat.Unknown)
        {
            errors[field] = ["Not a JPEG, PNG or WebP image (recognised by content, not by name)."];
            return null;
        }
        try
        {
            return new UploadedPhoto(PhotoMetadataStripper.Strip(content), Convert.ToHexStringLower(SHA256.HashData(content)));
        }
        catch (InvalidPhotoException ex)
        {
            errors[field] = [ex.Message];
            return null;
        }
    }

    private static Created<IssueReceipt> Created(IssueReceipt receipt) => TypedResults.Created($"/api/v1/issues/{receipt.Id}", receipt);

    private static ProblemHttpResult IssueNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such issue.", detail: $"There is no issue '{id}'.");
}
