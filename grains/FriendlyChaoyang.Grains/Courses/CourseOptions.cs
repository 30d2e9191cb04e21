namespace FriendlyChaoyang.Courses;

public sealed class CourseOptions
{
    public const string Section = "Courses";

    /// <summary>How often a course with undelivered growth records or notifications retries them (a reminder: survives restarts).</summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one delivery may take before the next tick retries it.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
