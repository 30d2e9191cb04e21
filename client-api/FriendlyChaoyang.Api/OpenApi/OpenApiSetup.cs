using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FriendlyChaoyang.Api.Errors;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace FriendlyChaoyang.Api.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, written for SDK generators and linted by Spectral's oas ruleset (see
/// OpenApiDocumentTests). Each route names its operationId, summary, description and its own problems (404, 409, ...);
/// the responses every route of a kind can give are declared here from the endpoint's metadata, so no route forgets them.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    /// <summary>Partner platforms' routes (Policies.Partner) take an api key instead of a token.</summary>
    public const string ApiKeyScheme = "ApiKey";

    public static IServiceCollection AddFriendlyChaoyangOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(DescribeDocument);
            o.AddOperationTransformer(DescribeParameters);
            o.AddOperationTransformer(DeclareCommonResponsesAsync);
            o.AddDocumentTransformer(InlineBinarySchemas);
        });

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "FriendlyChaoyang API",
            Version = "v1",
            Description = "REST contract v1 of the Friendly Chaoyang (友好朝阳) city-service app for delivery riders, couriers and " +
                "drivers: rest stations with live free seats and ports, check-in and check-out, hazard reports, notifications and points. " +
                "Errors are RFC 9457 problem details (application/problem+json).",
            Contact = new OpenApiContact { Name = "FriendlyChaoyang team" },
        };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token from your identity provider (or POST /api/v1/dev/tokens in development).",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Auth.ApiKeyValidator.Header,
            Description = "A partner platform's api key, issued by an admin (POST /api/v1/admin/api-keys).",
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Puts {type: string, format: binary} (the report's photo, the photo route's image) where it is used instead of behind
    /// a $ref: client generators (NSwag) recognise a file only inline.
    /// </summary>
    private static Task InlineBinarySchemas(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        var binary = schemas?.Where(s => s.Value is OpenApiSchema { Type: JsonSchemaType.String, Format: "binary" }).Select(s => s.Key).ToHashSet();
        if (schemas is null || binary is not { Count: > 0 })
        {
            return Task.CompletedTask;
        }
        IOpenApiSchema Inline(IOpenApiSchema schema) => schema is OpenApiSchemaReference { Reference.Id: { } id } && binary.Contains(id)
            ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }
            : schema;
        foreach (var properties in schemas.Values.Select(s => s.Properties).OfType<IDictionary<string, IOpenApiSchema>>())
        {
            foreach (var name in properties.Keys.ToList())
            {
                properties[name] = Inline(properties[name]);
            }
        }
        var operations = (document.Paths?.Values.AsEnumerable() ?? []).SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []);
        var bodies = operations.SelectMany(o => (o.Responses?.Values.Select(r => r.Content) ?? []).Append(o.RequestBody?.Content));
        foreach (var media in bodies.SelectMany(content => content?.Values ?? []).Where(m => m.Schema is not null))
        {
            media.Schema = Inline(media.Schema!);
        }
        foreach (var id in binary)
        {
            schemas.Remove(id);
        }
        return Task.CompletedTask;
    }

    /// <summary>Query parameters under the names clients send (binding ignores case), and the values a string enum allows.</summary>
    private static Task DescribeParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            var described = context.Description.ParameterDescriptions.FirstOrDefault(d => d.Name == parameter.Name);
            if (described?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: var info }
                && info.GetCustomAttribute<WireEnumAttribute>() is { } wireEnum && parameter.Schema is OpenApiSchema schema)
            {
                schema.Enum = [.. wireEnum.Names.Select(name => (JsonNode)JsonValue.Create(name))];
            }
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name)
            {
                parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);
            }
        }
        return Task.CompletedTask;
    }

    private static async Task DeclareCommonResponsesAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        var authenticated = authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any();
        var document = context.Document!;
        operation.Responses ??= [];

        if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
        {
            await DeclareAsync(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails),
                "The request is malformed or a field is missing or out of range ('errors' names each field).");
        }
        if (operation.RequestBody is not null)
        {
            await DeclareAsync(StatusCodes.Status415UnsupportedMediaType, typeof(ProblemDetails), "The body is not of a media type this operation reads.");
        }
        if (authenticated)
        {
            var partner = authorize.Any(a => a.Policy == Auth.Policies.Partner);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(partner ? ApiKeyScheme : BearerScheme, document)] = [] }];
            await DeclareAsync(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), partner ? "No valid api key in X-Api-Key." : "No valid bearer token.");
        }
        if (authenticated && authorize.Any(a => a.Policy is not null || a.Roles is not null))
        {
            await DeclareAsync(StatusCodes.Status403Forbidden, typeof(ProblemDetails), "The token's role may not call this operation.");
        }
        // The global limiter covers every route that does not opt out, not just those with a named policy.
        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            await DeclareAsync(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), "Too many requests; retry after Retry-After seconds.", retryAfter: true);
        }
        // A handler that asks the cluster: through a grain factory, or nearby's copy of the station index (refreshed from it).
        if (handler?.GetParameters().Any(p => typeof(IGrainFactory).IsAssignableFrom(p.ParameterType) || p.ParameterType == typeof(StationIndexCopy)) == true)
        {
            await DeclareAsync(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails),
                "The cluster or its database did not answer in time; nothing was done. Retry after Retry-After seconds.", retryAfter: true);
        }

        async Task DeclareAsync(int status, Type problemType, string description, bool retryAfter = false)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key))
            {
                return;
            }
            document.AddComponent(problemType.Name, await context.GetOrCreateSchemaAsync(problemType, null, cancellationToken));
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(problemType.Name, document) },
                },
                Headers = retryAfter
                    ? new Dictionary<string, IOpenApiHeader>
                    {
                        ["Retry-After"] = new OpenApiHeader
                        {
                            Description = $"Seconds to wait before retrying ({ProblemExceptionHandler.RetryAfterSeconds} for a 503).",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                        },
                    }
                    : null,
            };
        }
    }
}
