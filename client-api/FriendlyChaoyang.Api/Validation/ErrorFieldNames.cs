using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace FriendlyChaoyang.Api.Validation;

/// <summary>
/// The validator names a field after its C# member ("WithinMinutes", "Items[0].Name"); a client knows it by its name on
/// the wire. Renames the keys of every validation problem: a member bound with an explicit [FromQuery]/[FromHeader]
/// name ("within_minutes", "Idempotency-Key") keeps that name, any other identifier is camelCased as JSON bodies are.
/// </summary>
public static class ErrorFieldNames
{
    /// <summary>A <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> callback.</summary>
    public static void UseWireNames(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not HttpValidationProblemDetails { Errors.Count: > 0 } problem)
        {
            return;
        }
        var boundNames = BoundNames(context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>());
        var renamed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in problem.Errors)
        {
            var name = string.Join('.', key.Split('.').Select(segment => WireName(segment, boundNames)));
            renamed[name] = renamed.TryGetValue(name, out var earlier) ? [.. earlier, .. messages] : messages;
        }
        problem.Errors = renamed;
    }

    private static string WireName(string segment, Dictionary<string, string> boundNames)
    {
        var index = segment.IndexOf('[', StringComparison.Ordinal);
        var (member, suffix) = index < 0 ? (segment, "") : (segment[..index], segment[index..]);
        if (boundNames.TryGetValue(member, out var bound))
        {
            return bound + suffix;
        }
        var isIdentifier = member.Length > 0 && char.IsLetter(member[0]) && member.All(c => char.IsLetterOrDigit(c) || c == '_');
        return (isIdentifier ? JsonNamingPolicy.CamelCase.ConvertName(member) : member) + suffix;
    }

    /// <summary>C# name to request name, for the handler's parameters and the properties of its [AsParameters] records.</summary>
    private static Dictionary<string, string> BoundNames(MethodInfo? handler)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in handler?.GetParameters() ?? [])
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties())
                {
                    AddBoundName(names, property.Name, property);
                }
            }
            else if (parameter.Name is { } name)
            {
                AddBoundName(names, name, parameter);
            }
        }
        return names;
    }

    private static void AddBoundName(Dictionary<string, string> names, string member, ICustomAttributeProvider source)
    {
        var attributes = source.GetCustomAttributes(inherit: true);
        var bound = attributes.OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? attributes.OfType<IFromHeaderMetadata>().FirstOrDefault()?.Name;
        if (bound is not null)
        {
            names[member] = bound;
        }
    }
}
