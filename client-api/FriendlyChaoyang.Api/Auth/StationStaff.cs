using System.Security.Claims;
using FriendlyChaoyang.Api.Stations;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>
/// Who runs a station's life (activities, polls, the book shelf): its appointed managers and its subdistrict's operators.
/// Every station-staff route makes this check before it changes anything.
/// </summary>
public static class StationStaff
{
    /// <summary>The roles a station-staff route lets through; which station they run is checked by <see cref="StationRunByAsync"/>.</summary>
    public static readonly AuthorizeAttribute Roles = new() { Roles = $"{Auth.Roles.Manager},{Auth.Roles.Operator}" };

    /// <summary>
    /// A manager must also be one the station appointed: a token that merely names the station (from a dev token or an
    /// identity provider) does not make its holder a manager there.
    /// </summary>
    public static bool Runs(this ClaimsPrincipal user, string stationId, StationRoster roster) =>
        (user.IsInRole(Auth.Roles.Manager) && user.Station() == stationId && user.Subject() is { } subject && roster.Managers.Includes(subject))
        || (user.IsInRole(Auth.Roles.Operator) && user.Subdistrict() == roster.SubdistrictId);

    /// <returns>Null when the caller runs the station, else the answer to give: 404 for an unknown station, 403 otherwise.</returns>
    public static async Task<ProblemHttpResult?> StationRunByAsync(this IClusterClient cluster, string stationId, ClaimsPrincipal user)
    {
        if (await cluster.GetGrain<IStationGrain>(stationId).GetRosterAsync() is not { } roster)
        {
            return StationProblems.NotFound(stationId);
        }
        return user.Runs(stationId, roster) ? null : StationProblems.NotYours(stationId);
    }
}
