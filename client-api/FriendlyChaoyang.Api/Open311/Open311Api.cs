using System.Globalization;
using System.Text.Json.Nodes;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Issues;
using FriendlyChaoyang.Api.Issues.Photos;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Issues;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace FriendlyChaoyang.Api.Open311;

/// <summary>
/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) beside our own API, for partner platforms and civic apps:
/// service_code = our issue category, a service request = an issue in its public view. Requests are filed, linked as
/// duplicates, routed and paid for exactly as reports made in our app. Not in our OpenAPI document: the specification is
/// its contract (README, "Open311").
/// </summary>
public static class Open311Api
{
    public const string Prefix = "/open311";
    public const string BasePath = Prefix + "/v2";
    public const string Jurisdiction = "chaoyang.beijing";
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";

    /// <summary>Sortable (Service Discovery): the last change to this endpoint's services or definitions.</summary>
    public const string Changeset = "2026-11-28T00:00:00+08:00";

    /// <summary>GeoReport v2: "free form text limited to 4,000 characters".</summary>
    public const int MaxDescriptionLength = 4000;

    public const int MaxAccountIdLength = 64;
    public const int MaxMediaUrlLength = 2048;
    public const int MaxPageSize = 1000;
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(90);

    /// <summary>The specification's POST has about twenty fields (more with attributes); a thousand are not read.</summary>
    private const int MaxFormParts = 40;

    private const string Format = "{format:regex(^(json|xml)$)}";

    public static IEndpointRouteBuilder MapOpen311Api(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup(BasePath).ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
            IsOurs(context.HttpContext.Request.Query["jurisdiction_id"]) ? await next(context) : JurisdictionNotFound());
        v2.MapGet($"/discovery.{Format}", Discovery);
        v2.MapGet($"/services.{Format}", ServicesAsync);
        v2.MapGet($"/services/{{code}}.{Format}", ServiceDefinitionAsync);
        v2.MapGet($"/requests.{Format}", ListRequestsAsync);
        v2.MapPost($"/requests.{Format}", PostRequestAsync);
        v2.MapGet($"/requests/{{id}}.{Format}", GetRequestAsync);
        v2.MapGet("/requests/{id}/media", GetMediaAsync);
        v2.MapGet($"/tokens/{{token}}.{Format}", GetTokenAsync);
        app.MapFallback(Prefix + "/{**path}", (HttpContext http) => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound, detail: $"No Open311 resource at {http.Request.Path}; the endpoint is {BasePath}/."))
            .ExcludeFromDescription();
        return app;
    }

    public static Open311Document Discovery(string format, HttpContext http) => new("discovery", new JsonObject
    {
        ["changeset"] = Changeset,
        ["contact"] = "Friendly Chaoyang (友好朝阳) platform team, through your partner contact.",
        ["key_service"] = "Partner platforms get an api_key from a Friendly Chaoyang administrator (POST /api/v1/admin/api-keys).",
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["specification"] = Specification,
            ["url"] = $"{Origin(http)}{BasePath}",
            ["changeset"] = Changeset,
            ["type"] = "production",
            ["formats"] = new JsonArray("text/xml", "application/json"),
        }),
    }, Open311Document.ParseFormat(format)!.Value);

    public static async Task<Open311Document> ServicesAsync(string format, IClusterClient cluster)
    {
        var categories = await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync();
        return new("services", new JsonArray([.. categories.Select(Service)]), Open311Document.ParseFormat(format)!.Value);
    }

    /// <summary>Our categories need no attributes (metadata is false), so a definition lists none.</summary>
    public static async Task<Results<Open311Document, ProblemHttpResult>> ServiceDefinitionAsync(string code, string format, IClusterClient cluster)
    {
        var categories = await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync();
        return categories.Any(c => c.Id == code)
            ? new Open311Document("service_definition", new JsonObject { ["service_code"] = code, ["attributes"] = new JsonArray() },
                Open311Document.ParseFormat(format)!.Value)
            : ServiceCodeNotFound(code);
    }

    public static async Task<Results<Open311Document, ProblemHttpResult>> GetRequestAsync(string id, string format, HttpContext http, IClusterClient cluster)
    {
        var issue = await cluster.GetGrain<IIssueGrain>(id).GetAsync(IssueViewer.Anyone);
        if (issue is null)
        {
            return NotFound($"service_request_id '{id}' not found.");
        }
        var requests = await ServiceRequests.CreateAsync(cluster, Origin(http));
        return new Open311Document("service_requests", new JsonArray(requests.Of(issue)), Open311Document.ParseFormat(format)!.Value);
    }

    /// <summary>Service request ids are returned at once (every service is realtime), so a token is the id it names.</summary>
    public static async Task<Results<Open311Document, ProblemHttpResult>> GetTokenAsync(string token, string format, IClusterClient cluster)
    {
        var issue = await cluster.GetGrain<IIssueGrain>(token).GetAsync(IssueViewer.Anyone);
        return issue is null
            ? NotFound($"token '{token}' not found.")
            : new Open311Document("service_requests",
                new JsonArray(new JsonObject { ["service_request_id"] = issue.Id, ["token"] = token }), Open311Document.ParseFormat(format)!.Value);
    }

    public static async Task<Results<Open311Document, ProblemHttpResult, ValidationProblem>> ListRequestsAsync(
        string format, HttpContext http, IClusterClient cluster, TimeProvider clock)
    {
        var (query, errors) = RequestQuery.Parse(http.Request.Query, clock.GetUtcNow());
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var issues = await new RequestFinder(cluster).FindAsync(query);
        var requests = await ServiceRequests.CreateAsync(cluster, Origin(http));
        return new Open311Document("service_requests", new JsonArray([.. issues.Select(requests.Of)]), Open311Document.ParseFormat(format)!.Value);
    }

    public static async Task<Results<Open311Document, ProblemHttpResult, ValidationProblem>> PostRequestAsync(
        string format, HttpContext http, IClusterClient cluster, ApiKeyValidator keys, PhotoStore photos, IdempotentIds ids)
    {
        if (!http.Request.HasFormContentType)
        {
            return BadRequest("Send application/x-www-form-urlencoded fields (or multipart/form-data with a media file).");
        }
        var (form, formProblem) = await ReportForm.ReadAsync(http, MaxFormParts);
        if (form is null)
        {
            return formProblem!;
        }
        if (!IsOurs(form["jurisdiction_id"]))
        {
            return JurisdictionNotFound();
        }
        var presented = Value(form["api_key"]) ?? Value(http.Request.Query["api_key"]);
        if (presented is null || await keys.ValidateAsync(presented, http.RequestAborted) is not { } partner)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                detail: "Invalid api_key received -- can't proceed with create_request. Ask a Friendly Chaoyang administrator for a key.");
        }
        var idempotencyKey = Value(http.Request.Headers[IdempotencyKeys.Header]);
        if (idempotencyKey is not null && !IdempotencyKeys.IsValid(idempotencyKey))
        {
            return BadRequest($"{IdempotencyKeys.Header}: 1-128 printable ASCII characters.");
        }

        var serviceCode = Value(form["service_code"]);
        if (serviceCode is not null
            && (await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync()).All(c => c.Id != serviceCode))
        {
            return ServiceCodeNotFound(serviceCode);
        }
        var errors = new Dictionary<string, string[]>();
        if (serviceCode is null)
        {
            errors["service_code"] = ["Required: a service_code from services.json."];
        }
        var (lat, lon) = ReadLocation(form, errors);
        var description = Value(form["description"])?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength || form["description"].Count > 1)
        {
            errors["description"] = [$"At most {MaxDescriptionLength} characters."];
        }
        else if (!PlainTextAttribute.IsPlain(description, multiline: true))
        {
            errors["description"] = [PlainTextAttribute.Message];
        }
        var mediaUrl = Value(form["media_url"]);
        if (mediaUrl is not null && !IsWebUrl(mediaUrl))
        {
            errors["media_url"] = [$"An absolute http or https URL of at most {MaxMediaUrlLength} characters."];
        }
        var accountId = Value(form["account_id"]);
        if (accountId is not null && (accountId.Length > MaxAccountIdLength || !RouteIds.IsValid(accountId)))
        {
            errors["account_id"] = [$"At most {MaxAccountIdLength} letters, digits, '-', '_', '.' or ':', starting with a letter or digit."];
        }
        var media = form.Files.GetFile("media") is { } file ? await IssuesApi.ReadPhotoAsync(file, "media", errors, http.RequestAborted) : null;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // A report on behalf of one of the platform's riders is that rider's; without account_id it is the platform's own.
        var reporter = accountId is null ? $"partner:{partner.Id}" : $"{partner.Platform}:{accountId}";
        var fingerprint = RequestFingerprint.Of(serviceCode, lat.ToString("R", CultureInfo.InvariantCulture),
            lon.ToString("R", CultureInfo.InvariantCulture), description, mediaUrl, accountId, media?.UploadHash);
        var grain = cluster.GetGrain<IIssueGrain>("iss-" + ids.IdFor("open311", partner.Id, idempotencyKey, 24).ToLowerInvariant());
        // A repeated key is answered before the media is stored, so a refused replay stores nothing.
        var result = idempotencyKey is null ? null : await grain.ReplayAsync(fingerprint);
        if (result is null)
        {
            var photoHash = media is null ? null : await photos.PutAsync(media.Stripped, http.RequestAborted);
            result = await grain.SubmitAsync(
                new NewIssue(reporter, serviceCode!, lat, lon, description, photoHash, mediaUrl, Published: true), fingerprint);
        }
        return result.Outcome switch
        {
            SubmitOutcome.Filed => await CreatedAsync(grain, accountId, format, cluster, http),
            SubmitOutcome.DifferentRequest => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                detail: $"This {IdempotencyKeys.Header} already filed a different request. Repeat that request unchanged to get its receipt, or send a new key."),
            SubmitOutcome.UnknownCategory => ServiceCodeNotFound(serviceCode!),
            _ => BadRequest("lat, long: the location is outside Beijing."),
        };
    }

    /// <summary>
    /// The new request, or the open request it was linked to as a duplicate: the client follows that one (its
    /// service_request_id) and the rider shares its updates and points as a co-reporter.
    /// </summary>
    private static async Task<Open311Document> CreatedAsync(IIssueGrain grain, string? accountId, string format, IClusterClient cluster, HttpContext http)
    {
        var issue = (await grain.GetAsync(IssueViewer.Anyone))!;
        var requests = await ServiceRequests.CreateAsync(cluster, Origin(http));
        var notice = issue.Id == grain.GetPrimaryKeyString()
            ? requests.Notice(issue)
            : $"Already reported as service request {issue.Id}, which you now follow. {requests.Notice(issue)}";
        return new Open311Document("service_requests", new JsonArray(new JsonObject
        {
            ["service_request_id"] = issue.Id,
            ["service_notice"] = notice,
            ["account_id"] = accountId,
        }), Open311Document.ParseFormat(format)!.Value);
    }

    /// <summary>The photo of a request whose public view has one (uploaded as media through Open311); media_url points here.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetMediaAsync(
        string id, IClusterClient cluster, PhotoStore photos, CancellationToken cancellationToken)
    {
        var issue = await cluster.GetGrain<IIssueGrain>(id).GetAsync(IssueViewer.Anyone);
        var photo = issue?.PhotoHash is { } hash ? await photos.GetAsync(hash, cancellationToken) : null;
        return photo is null ? NotFound($"service request '{id}' has no published media.") : TypedResults.File(photo.Content, photo.ContentType);
    }

    public static string MediaPath(string id) => $"{BasePath}/requests/{id}/media";

    /// <summary>lat and long, both inside Beijing. We do not geocode, so address_string or address_id alone is not enough.</summary>
    private static (double Lat, double Lon) ReadLocation(IFormCollection form, Dictionary<string, string[]> errors)
    {
        if (Value(form["lat"]) is null && Value(form["long"]) is null)
        {
            errors["lat"] = ["Required: lat and long (WGS84) inside Beijing; address_string and address_id alone cannot be located."];
            return (double.NaN, double.NaN);
        }
        return (IssuesApi.ParseCoordinate(form["lat"], ServiceArea.MinLat, ServiceArea.MaxLat, "lat", "latitude", errors),
            IssuesApi.ParseCoordinate(form["long"], ServiceArea.MinLon, ServiceArea.MaxLon, "long", "longitude", errors));
    }

    private static JsonObject Service(IssueCategory category) => new()
    {
        ["service_code"] = category.Id,
        ["service_name"] = category.Name,
        ["description"] = $"{category.Name}: the subdistrict's emergency team is expected on site within {category.ResponseMinutes} minutes " +
            $"and to fix it within {category.ResolveHours} hours.",
        ["metadata"] = false,
        ["type"] = "realtime",
        ["keywords"] = category.Id.Replace('_', ' '),
        ["group"] = "hazards",
    };

    /// <summary>"Optional" in the specification: an empty parameter is the same as none.</summary>
    public static string? Value(StringValues values) => values is [{ Length: > 0 } value] ? value : null;

    private static bool IsOurs(StringValues jurisdiction) => Value(jurisdiction) is null or Jurisdiction;

    private static bool IsWebUrl(string url) =>
        url.Length <= MaxMediaUrlLength && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";

    private static ProblemHttpResult JurisdictionNotFound() =>
        NotFound($"jurisdiction_id not found: this endpoint serves only {Jurisdiction}.");

    private static ProblemHttpResult ServiceCodeNotFound(string code) =>
        NotFound($"service_code '{code}' not found; services.json lists the codes.");

    private static ProblemHttpResult NotFound(string description) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: description);

    private static ProblemHttpResult BadRequest(string description) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: description);
}
