using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Turns a database failure inside any grain call (the ADO.NET providers throw Npgsql's exceptions, which cannot be
/// serialized back to the caller) into a <see cref="StorageUnavailableException"/>, which the REST facade answers
/// with 503 and Retry-After instead of 500.
/// </summary>
public sealed class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (StorageUnavailableException ex) when (ex.InnerException is not null)
        {
            // The inner exception would not survive the trip to the caller (Orleans has no codec for Npgsql's).
            throw new StorageUnavailableException(ex.Message);
        }
        catch (Exception ex) when (ex is not StorageUnavailableException && DatabaseFailure(ex) is { } failure)
        {
            logger.LogWarning(ex, "{Grain}.{Method} failed because the database did not answer", context.TargetId, context.MethodName);
            throw new StorageUnavailableException($"The database did not answer: {failure.Message}");
        }
    }

    private static Exception? DatabaseFailure(Exception? ex)
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
