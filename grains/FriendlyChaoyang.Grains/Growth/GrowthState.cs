using FriendlyChaoyang.Commendations;

namespace FriendlyChaoyang.Growth;

[GenerateSerializer, Alias("fc.GrowthState")]
public sealed class GrowthState
{
    /// <summary>By course id.</summary>
    [Id(0)] public Dictionary<string, GrowthCourse> Courses { get; set; } = [];

    /// <summary>The ids of the activities the rider attended: a set, so a redelivered attendance counts once.</summary>
    [Id(1)] public HashSet<string> ActivitiesAttended { get; set; } = [];

    /// <summary>By commendation id, revoked ones included.</summary>
    [Id(2)] public Dictionary<string, RiderCommendation> Commendations { get; set; } = [];
}
