using System.Security.Claims;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>Who runs a station's life (activities, polls, the book shelf): its own managers and its subdistrict's operators.</summary>
public static class StationStaff
{
    /// <param name="stationSubdistrictId">The subdistrict the station lies in (from the station grain).</param>
    public static bool Runs(this ClaimsPrincipal user, string stationId, string stationSubdistrictId) =>
        (user.IsInRole(Roles.Manager) && user.Station() == stationId)
        || (user.IsInRole(Roles.Operator) && user.Subdistrict() == stationSubdistrictId);

    /// <summary>
    /// As above, and a manager must also be one the station appointed: a token that merely names the station (from a
    /// dev token or an identity provider) does not make its holder a manager there.
    /// </summary>
    public static bool Runs(this ClaimsPrincipal user, string stationId, StationRoster roster) =>
        (user.IsInRole(Roles.Manager) && user.Station() == stationId && user.Subject() is { } subject && roster.Managers.Includes(subject))
        || (user.IsInRole(Roles.Operator) && user.Subdistrict() == roster.SubdistrictId);
}
