namespace FriendlyChaoyang;

/// <summary>
/// A change could not be made durable (the database did not answer or refused the write). Nothing the caller asked
/// for is acknowledged; the request can be retried. The REST facade answers 503 with Retry-After.
/// </summary>
/// <remarks>
/// It never carries an inner exception: it crosses the wire to callers, and Orleans cannot serialize Npgsql's
/// exceptions (the caller would get a codec error instead). The cause's message is kept in the message.
/// </remarks>
[GenerateSerializer, Alias("fc.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() { }

    public StorageUnavailableException(string message) : base(message) { }

    public StorageUnavailableException(string message, Exception innerException)
        : base($"{message}: {innerException?.Message}") { }
}
