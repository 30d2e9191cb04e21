using System.Security.Claims;

namespace FriendlyChaoyang.Api.Auth;

/// <summary>Who runs a station's life (activities, polls, the book shelf): its own managers and its subdistrict's operators.</summary>
public static class StationStaff
{
    /// <param name="stationSubdistrictId">The subdistrict the station lies in (from the station grain).</param>
    public static bool Runs(this ClaimsPrincipal user, string stationId, string stationSubdistrictId) =>
        (user.IsInRole(Roles.Manager) && user.Station() == stationId)
        || (user.IsInRole(Roles.Operator) && user.Subdistrict() == stationSubdistrictId);
}
