using System.Security.Claims;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>The check every station-staff route makes before it changes anything: the station exists and the caller runs it.</summary>
public static class StationStaffAccess
{
    /// <summary>The roles a station-staff route lets through; which station they run is checked by <see cref="StationRunByAsync"/>.</summary>
    public static readonly AuthorizeAttribute Roles = new() { Roles = $"{Auth.Roles.Manager},{Auth.Roles.Operator}" };

    /// <returns>The station, or the answer to give instead: 404 for an unknown station, 403 for a caller who does not run it.</returns>
    public static async Task<(StationSnapshot? Station, ProblemHttpResult? Refusal)> StationRunByAsync(
        this IClusterClient cluster, string stationId, ClaimsPrincipal user)
    {
        var station = await cluster.GetGrain<IStationGrain>(stationId).GetAsync();
        if (station is null)
        {
            return (null, StationNotFound(stationId));
        }
        return user.Runs(stationId, station.SubdistrictId)
            ? (station, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your station.",
                detail: $"Only the managers of station {stationId} and the operators of its subdistrict may do this."));
    }

    public static ProblemHttpResult StationNotFound(string stationId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such station.", detail: $"There is no station '{stationId}'.");
}
