using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Turns a database failure inside any grain call (e.g. the ADO.NET reminder service throws Npgsql's exceptions,
/// which cannot be serialized back to the caller) into a <see cref="StorageUnavailableException"/>, which the REST
/// facade answers with 503 and Retry-After instead of 500.
/// </summary>
public sealed class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (ex is not StorageUnavailableException && DatabaseFailure(ex) is { } failure)
        {
            logger.LogWarning(ex, "{Grain}.{Method} failed because the database did not answer", context.TargetId, context.MethodName);
            throw new StorageUnavailableException("The database did not answer", failure);
        }
    }

    /// <summary>The database exception in <paramref name="ex"/>'s chain of causes, if any.</summary>
    public static Exception? DatabaseFailure(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is DbException)
            {
                return ex;
            }
        }
        return null;
    }
}
