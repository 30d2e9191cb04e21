namespace FriendlyChaoyang.Housing;

/// <param name="FirstAnswer">What the apply answered, for an Idempotency-Key replay after the application is over.</param>
[GenerateSerializer, Immutable, Alias("fc.RiderApplication")]
public sealed record RiderApplication(
    [property: Id(0)] string Id,
    [property: Id(1)] string ApartmentId,
    [property: Id(2)] ApplicationView? FirstAnswer);

[GenerateSerializer, Alias("fc.RiderHousingState")]
public sealed class RiderHousingState
{
    /// <summary>The one open application (waiting or offered, as far as this grain last heard).</summary>
    [Id(0)] public RiderApplication? Open { get; set; }

    /// <summary>The rider's bed, with the application it came from.</summary>
    [Id(1)] public TenancyView? Tenancy { get; set; }

    [Id(2)] public string? TenancyApplicationId { get; set; }

    /// <summary>The last few applications that are over, newest last, so replaying their Idempotency-Key answers as the first time.</summary>
    [Id(3)] public List<RiderApplication> Past { get; set; } = [];
}
