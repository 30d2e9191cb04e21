using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Stations;

/// <param name="Subject">The token subject the manager signs in with (their manager token also names this station).</param>
public sealed record ManagerRequest(
    [property: Required(ErrorMessage = DevTokensApi.SubjectRule), RegularExpression("^[A-Za-z0-9_.:-]{1,64}$", ErrorMessage = DevTokensApi.SubjectRule)]
    string? Subject,
    [property: Required(ErrorMessage = "Required, at most 40 characters."), StringLength(40, ErrorMessage = "Required, at most {1} characters."), PlainText]
    string? Name,
    [property: StringLength(32, ErrorMessage = "At most {1} characters (e.g. meituan, eleme, sf-express)."), PlainText]
    string? Platform = null)
{
    public StationManager ToManager() => new(Subject!, Name!.Trim(), Platform?.Trim());
}

/// <param name="Community">The community manager (社区站长); null for none.</param>
/// <param name="Company">The company manager (企业站长) with their platform; null for none.</param>
public sealed record ManagersRequest(ManagerRequest? Community, ManagerRequest? Company) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Community?.Subject is { } subject && subject == Company?.Subject)
        {
            yield return new ValidationResult("The community and company managers are two people.", [$"{nameof(Company)}.{nameof(ManagerRequest.Subject)}"]);
        }
    }
}

public static class ManagersApi
{
    public static IEndpointRouteBuilder MapManagersApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v1/stations/{id}/managers", PutAsync).WithTags("Stations")
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Operator},{Roles.Admin}" })
            .WithName("putStationManagers")
            .WithSummary("Appoint the station's managers (双站长).")
            .WithDescription("Replaces both: up to one community manager and one company manager (with platform); null or absent removes " +
                "one. Operators of the station's subdistrict and admins only (another subdistrict's operator gets 403). A manager " +
                "token (role manager, claim station) acts on its station only while its subject is appointed here. GET " +
                "/api/v1/stations/{id} shows the managers' names, not their subjects.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<StationManagers>, ProblemHttpResult>> PutAsync(
        string id, ManagersRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var station = cluster.GetGrain<IStationGrain>(id);
        if (await station.GetRosterAsync() is not { } roster)
        {
            return StationProblems.NotFound(id);
        }
        if (!user.IsInRole(Roles.Admin) && user.Subdistrict() != roster.SubdistrictId)
        {
            return StationProblems.NotYours(id);
        }
        var managers = await station.SetManagersAsync(new StationManagers(request.Community?.ToManager(), request.Company?.ToManager()));
        return TypedResults.Ok(managers!);
    }
}

public static class StationProblems
{
    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such station.", detail: $"There is no station '{id}'.");

    public static ProblemHttpResult NotYours(string id) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Not your station.", detail: $"Station {id} is run by its appointed managers and its subdistrict's operators.");
}
