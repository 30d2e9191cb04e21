using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using FriendlyChaoyang.Api.Hosting;

namespace FriendlyChaoyang.Api.Validation;

/// <summary>
/// A query value that names a member of <typeparamref name="TEnum"/> as JSON writes it ("seat", "on_site"). Query
/// binding would take ASP.NET's Enum.TryParse (case-sensitive C# names, numbers, "Seat,Swap" flag lists), so the
/// property stays a string and <see cref="WireEnums.Parse{TEnum}"/> converts it after validation. Null is allowed.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WireEnumAttribute<TEnum>() : WireEnumAttribute($"One of: {string.Join(", ", WireEnums.Names<TEnum>())}.")
    where TEnum : struct, Enum
{
    public override IReadOnlyList<string> Names => WireEnums.Names<TEnum>();

    public override bool IsValid(object? value) => value is null || (value is string text && WireEnums.TryParse<TEnum>(text, out _));
}

/// <summary>What the OpenAPI document needs of any <see cref="WireEnumAttribute{TEnum}"/>: the values it allows.</summary>
public abstract class WireEnumAttribute(string errorMessage) : ValidationAttribute(errorMessage)
{
    public abstract IReadOnlyList<string> Names { get; }
}

public static class WireEnums
{
    /// <summary>In declaration order.</summary>
    public static IReadOnlyList<string> Names<TEnum>() where TEnum : struct, Enum => Table<TEnum>.Names;

    /// <summary>The value as a response field carries it, for messages.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Table<TEnum>.ByName.First(entry => EqualityComparer<TEnum>.Default.Equals(entry.Value, value)).Key;

    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum =>
        Table<TEnum>.ByName.TryGetValue(text, out value);

    /// <summary>The member a validated wire name stands for.</summary>
    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value) ? value : throw new ArgumentOutOfRangeException(nameof(text), text, $"Not a {typeof(TEnum).Name}.");

    // The names come from the API's own JSON converter, so a query value and a response field are spelt alike.
    private static class Table<TEnum> where TEnum : struct, Enum
    {
        public static readonly string[] Names = [.. Enum.GetValues<TEnum>().Select(v => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(v, WireJson.Options))!)];

        public static readonly FrozenDictionary<string, TEnum> ByName = Names.Zip(Enum.GetValues<TEnum>()).ToFrozenDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }
}
