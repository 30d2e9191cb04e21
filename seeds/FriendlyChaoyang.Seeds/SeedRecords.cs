namespace FriendlyChaoyang.Seeds;

/// <summary>A Chaoyang subdistrict (街道 "street" or 地区 "area") and its WGS84 centre.</summary>
/// <param name="Id">Stable key, e.g. "shuangjing".</param>
/// <param name="NameZh">Chinese name, e.g. "双井街道".</param>
/// <param name="NamePinyin">Romanised name, e.g. "Shuangjing".</param>
/// <param name="Kind">"street" (街道) or "area" (地区).</param>
/// <param name="Lat">Centre latitude, WGS84 degrees.</param>
/// <param name="Lon">Centre longitude, WGS84 degrees.</param>
/// <param name="CoordSource">Where the centre comes from; values starting "estimated:" are derived, not published.</param>
public sealed record SubdistrictSeed(string Id, string NameZh, string NamePinyin, string Kind, double Lat, double Lon, string CoordSource);

/// <summary>An all-time rest station (全时驿站). Positions and capacities are synthetic, not surveyed.</summary>
/// <param name="Id">Stable key, e.g. "cy-shuangjing-007".</param>
/// <param name="NameZh">Chinese name, e.g. "双井街道第7全时驿站".</param>
/// <param name="NameEn">English name, e.g. "Shuangjing Station 7".</param>
/// <param name="SubdistrictId">The <see cref="SubdistrictSeed.Id"/> the station belongs to.</param>
/// <param name="Lat">Latitude, WGS84 degrees.</param>
/// <param name="Lon">Longitude, WGS84 degrees.</param>
/// <param name="Open24h">Whether the station never closes.</param>
/// <param name="Seats">Seats in total.</param>
/// <param name="ChargingPorts">Phone/e-bike charging ports in total (never more than seats).</param>
/// <param name="SwapPorts">Battery-swap cabinet slots in total.</param>
/// <param name="Amenities">Amenity keys such as "hot_water" or "battery_swap".</param>
public sealed record StationSeed(
    string Id,
    string NameZh,
    string NameEn,
    string SubdistrictId,
    double Lat,
    double Lon,
    bool Open24h,
    int Seats,
    int ChargingPorts,
    int SwapPorts,
    IReadOnlyList<string> Amenities);

/// <summary>A category of city hazard riders can report (随手拍), with its service targets.</summary>
/// <param name="Id">Stable key, e.g. "road_collapse".</param>
/// <param name="NameZh">Chinese name, e.g. "路面塌陷".</param>
/// <param name="NameEn">English name, e.g. "Road collapse".</param>
/// <param name="ResponseMinutes">Target minutes from report to the emergency team being on site.</param>
/// <param name="ResolveHours">Target hours from report to the hazard being fixed.</param>
public sealed record IssueCategorySeed(string Id, string NameZh, string NameEn, int ResponseMinutes, int ResolveHours);

/// <summary>A service riders can buy with points at partner service points.</summary>
/// <param name="Id">Stable key, e.g. "laundry".</param>
/// <param name="NameZh">Chinese name, e.g. "洗衣".</param>
/// <param name="NameEn">English name, e.g. "Laundry".</param>
/// <param name="Cost">Price in points.</param>
/// <param name="Partner">Who provides the service (placeholder partner descriptions).</param>
public sealed record RewardSeed(string Id, string NameZh, string NameEn, int Cost, string Partner);
