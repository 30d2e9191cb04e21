using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace FriendlyChaoyang.Hosting;

/// <summary>
/// Remembers each grain interface's <see cref="GrainInterfaceType"/>. Orleans works it out again on every
/// <c>GetGrain</c>: it reads the interface's custom attributes (allocating them) and, finding no type attribute, formats
/// the type's name. That was 3-5% of the silo's and the API's CPU at the spread peak (docs/benchmarks.md, sixth look).
/// Asked first, this provider answers from its cache, filled by the same resolver Orleans uses, built from the other
/// providers; so a reference names exactly the interface type it named before.
/// </summary>
public sealed class CachedGrainInterfaceTypes(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();
    private GrainInterfaceTypeResolver? _resolver;

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        grainInterfaceType = _known.GetOrAdd(type, static (t, self) => self.Resolver.GetGrainInterfaceType(t), this);
        return true;
    }

    private GrainInterfaceTypeResolver Resolver => _resolver ??= new GrainInterfaceTypeResolver(
        services.GetServices<IGrainInterfaceTypeProvider>().Where(p => p != this),
        services.GetRequiredService<TypeConverter>());
}

public static class CachedGrainInterfaceTypesExtensions
{
    /// <summary>Puts <see cref="CachedGrainInterfaceTypes"/> before Orleans' own providers (asked in registration order).</summary>
    public static IServiceCollection AddCachedGrainInterfaceTypes(this IServiceCollection services)
    {
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>());
        return services;
    }
}
