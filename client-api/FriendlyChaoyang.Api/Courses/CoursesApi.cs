using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Courses;
using FriendlyChaoyang.Growth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Courses;

public sealed record NewCourseRequest(
    [property: Required(ErrorMessage = "Required, at most 200 characters."),
        StringLength(CourseLimits.MaxTitleLength, ErrorMessage = "Required, at most {1} characters."), PlainText]
    string? Title,
    [property: Required(ErrorMessage = "Required: who teaches it, at most 100 characters."),
        StringLength(CourseLimits.MaxProviderLength, ErrorMessage = "Required, at most {1} characters."), PlainText]
    string? Provider,
    [property: Required(ErrorMessage = "Required: when the first session starts (ISO 8601 with offset).")] DateTimeOffset? StartsAt,
    [property: Required(ErrorMessage = "Required: the number of sessions, from 1 to 1000."),
        Range(1, CourseLimits.MaxSessions, ErrorMessage = "Sessions, from {1} to {2}.")]
    int? Sessions,
    [property: Required(ErrorMessage = "Required: places, from 1 to 10000."), Range(1, CourseLimits.MaxCapacity, ErrorMessage = "Places, from {1} to {2}.")]
    int? Capacity)
{
    public CourseDefinition ToDefinition() => new(Title!.Trim(), Provider!.Trim(), StartsAt!.Value, Sessions!.Value, Capacity!.Value);
}

/// <param name="RiderId">The enrolled rider who completed the course (their token subject).</param>
public sealed record CompletionRequest(
    [property: Required(ErrorMessage = "Required: the id of an enrolled rider.")] string? RiderId) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RiderId is not null && !RouteIds.IsValid(RiderId))
        {
            yield return new ValidationResult(RouteIds.Rule, [nameof(RiderId)]);
        }
    }
}

public static class CoursesApi
{
    public static IEndpointRouteBuilder MapCoursesApi(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api/v1/courses").WithTags("Courses");
        courses.MapPost("/", CreateAsync).RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Operator},{Roles.Admin}" })
            .WithName("createCourse")
            .WithSummary("Publish a course (红驿课堂).")
            .WithDescription("title (at most 200 characters), provider (at most 100), startsAt, sessions (1-1000) and capacity (1-10000 " +
                "places). Operators and admins. An operator's course is completed by the operators of their subdistrict; an admin's by " +
                "any operator. An optional Idempotency-Key header (scoped to the caller) makes a repeat with the same body return the " +
                "first course; the same key with another body is 422.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        courses.MapGet("/", ListAsync)
            .WithName("listCourses")
            .WithSummary("The courses, soonest start first, with places taken.")
            .WithDescription($"page (default 1) and pageSize (1-{PageRequest.MaxPageSize}, default {PageRequest.DefaultPageSize}). Anonymous.");
        courses.MapPost("/{id}/enrolments", EnrolAsync).RequireAuthorization(Policies.Rider)
            .WithName("enrolInCourse")
            .WithSummary("Take a place in a course.")
            .WithDescription("Answers the rider's standing (status enrolled, or completed). A repeat answers the same 201, even once the " +
                "course is full: a rider holds at most one place. No place left is 409. The course appears in GET /api/v1/riders/me/growth.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        courses.MapPost("/{id}/completions", CompleteAsync).RequireAuthorization(Policies.Operator)
            .WithName("completeCourse")
            .WithSummary("Mark an enrolled rider's completion.")
            .WithDescription("{\"riderId\"} -> the rider's standing, status completed with completedAt; a repeat answers the same. A rider " +
                "who is not enrolled is 400. Operators of the course's subdistrict (any operator for an admin's course); others get 403. " +
                "The rider is notified.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CourseView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NewCourseRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var caller = user.RiderId();
        var definition = request.ToDefinition();
        var courseId = "course-" + ids.IdFor("course", caller, idempotencyKey, 16).ToLowerInvariant();
        var subdistrict = user.IsInRole(Roles.Operator) ? user.Subdistrict() : null;
        var fingerprint = RequestFingerprint.Of(definition.Title, definition.Provider, definition.StartsAt.ToString("O", CultureInfo.InvariantCulture),
            definition.Sessions.ToString(CultureInfo.InvariantCulture), definition.Capacity.ToString(CultureInfo.InvariantCulture));
        var result = await cluster.GetGrain<ICourseGrain>(courseId).CreateAsync(new NewCourse(definition, caller, subdistrict, fingerprint));
        return result.Outcome == CourseOutcome.Answered
            ? TypedResults.Created($"/api/v1/courses/{courseId}", result.Course)
            : IdempotencyKeys.ReusedWithAnotherRequest("published another course");
    }

    public static async Task<Ok<IReadOnlyList<CourseView>>> ListAsync([AsParameters] PageRequest paging, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<ICourseCatalogGrain>(0).ListAsync(paging.PageOrFirst, paging.PageSizeOrDefault));

    public static async Task<Results<Created<GrowthCourse>, ProblemHttpResult>> EnrolAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<ICourseGrain>(id).EnrolAsync(user.RiderId());
        return result.Outcome switch
        {
            CourseOutcome.Answered => TypedResults.Created("/api/v1/riders/me/growth", result.Enrolment),
            CourseOutcome.Full => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Course full.",
                detail: $"Every place in course {id} is taken."),
            _ => CourseNotFound(id),
        };
    }

    public static async Task<Results<Ok<GrowthCourse>, ValidationProblem, ProblemHttpResult>> CompleteAsync(
        string id, CompletionRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var by = new CourseOperator(user.RiderId(), user.Subdistrict()!);
        var result = await cluster.GetGrain<ICourseGrain>(id).CompleteAsync(request.RiderId!, by);
        return result.Outcome switch
        {
            CourseOutcome.Answered => TypedResults.Ok(result.Enrolment),
            CourseOutcome.NotEnrolled => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["riderId"] = [$"Rider '{request.RiderId}' is not enrolled in course {id}."],
            }),
            CourseOutcome.WrongSubdistrict => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your course.",
                detail: $"Course {id} was published for another subdistrict; its operators mark completions."),
            _ => CourseNotFound(id),
        };
    }

    private static ProblemHttpResult CourseNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such course.", detail: $"There is no course '{id}'.");
}
