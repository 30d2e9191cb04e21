namespace FriendlyChaoyang.Courses;

[GenerateSerializer, Alias("fc.CourseCatalogState")]
public sealed class CourseCatalogState
{
    /// <summary>Every published course's start, by course id.</summary>
    [Id(0)] public Dictionary<string, DateTimeOffset> Starts { get; set; } = [];
}
