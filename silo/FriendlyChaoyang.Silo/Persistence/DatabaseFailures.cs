using System.Data.Common;
using Orleans.Storage;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// The one translation of a storage failure into what grains throw: a <see cref="StorageUnavailableException"/> that
/// carries the cause's message but not the cause, because Orleans cannot serialize Npgsql's exceptions back to a caller
/// (it would see a codec error instead). Used by <see cref="FailureTranslatingStorage"/> and <see cref="StorageFailureFilter"/>.
/// </summary>
internal static class DatabaseFailures
{
    /// <summary>
    /// The exception for the caller if <paramref name="ex"/> is a database failure (a <see cref="DbException"/> anywhere
    /// in its chain of causes) or a version conflict (another activation wrote first), else null.
    /// </summary>
    public static StorageUnavailableException? Translate(Exception ex, string what)
    {
        for (var cause = ex; cause is not null; cause = cause.InnerException)
        {
            if (cause is DbException or InconsistentStateException)
            {
                return new StorageUnavailableException(what, cause);
            }
        }
        return null;
    }
}
