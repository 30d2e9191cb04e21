using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Turns a database failure that reaches a grain call outside grain storage (the ADO.NET reminder service throws
/// Npgsql's exceptions) into a <see cref="StorageUnavailableException"/>, which the REST facade answers with 503 and
/// Retry-After instead of 500. Grain storage failures arrive already translated by <see cref="FailureTranslatingStorage"/>.
/// </summary>
public sealed class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (DatabaseFailures.Translate(ex, $"{context.MethodName} could not reach the database") is { } unavailable)
        {
            logger.LogWarning(ex, "{Grain}.{Method} failed because the database did not answer", context.TargetId, context.MethodName);
            throw unavailable;
        }
    }
}
