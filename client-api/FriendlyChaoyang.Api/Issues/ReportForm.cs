using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Issues;

/// <summary>
/// Reads a report's multipart body within fixed limits and names what went wrong: a body over the size limit is 413
/// (the photo's size is what a client can change); a form without a boundary, with too many parts or fields, with a
/// bad part header or cut off before its closing boundary is 400 with the reader's reason.
/// </summary>
public static class ReportForm
{
    /// <summary>A report has five parts; a few extra are tolerated, a thousand are not read.</summary>
    public const int MaxParts = 16;

    private static readonly FormOptions Limits = LimitsFor(MaxParts);

    private static FormOptions LimitsFor(int maxParts) => new()
    {
        ValueCountLimit = maxParts,
        // Per part; below the whole-body limit, so a large photo trips that one and gets the size message.
        MultipartBodyLengthLimit = IssuesApi.MaxRequestBytes,
        // The longest field is a 500-character description (at most 4 bytes a character in UTF-8).
        ValueLengthLimit = 16 * 1024,
    };

    /// <param name="maxParts">For forms with more fields than a report's (Open311's has about twenty).</param>
    /// <returns>The form, or the problem to answer with.</returns>
    public static async Task<(IFormCollection? Form, ProblemHttpResult? Problem)> ReadAsync(HttpContext http, int maxParts = MaxParts)
    {
        if (http.Request.ContentLength > IssuesApi.MaxRequestBytes)
        {
            return (null, TooLarge());
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = IssuesApi.MaxRequestBytes;
        }
        if (!http.Request.HasFormContentType)
        {
            return (null, TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["photo"] = ["Send multipart/form-data with fields category, lat, lon, description and photo."],
            }) { Status = StatusCodes.Status400BadRequest }));
        }

        var body = http.Request.Body;
        // The same limit on every server (the TestServer has none) and for bodies without a Content-Length.
        http.Request.Body = new SizeLimitedStream(body, IssuesApi.MaxRequestBytes);
        try
        {
            return (await http.Request.ReadFormAsync(maxParts == MaxParts ? Limits : LimitsFor(maxParts), http.RequestAborted), null);
        }
        catch (Exception ex) when (ex is RequestTooLargeException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return (null, TooLarge());
        }
        catch (InvalidDataException ex)
        {
            return (null, Unreadable(ex.Message)); // no boundary, too many parts, a bad part header, a field too long
        }
        catch (IOException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return (null, Unreadable("The multipart body ended before its closing boundary."));
        }
        finally
        {
            http.Request.Body = body;
        }
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request too large.", detail: $"The photo may be at most {IssuesApi.MaxPhotoBytes / (1024 * 1024)} MB.");

    private static ProblemHttpResult Unreadable(string reason) => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: "The request could not be read.", detail: $"The multipart form could not be read: {reason}");

    private sealed class RequestTooLargeException() : IOException("The request body is larger than the limit.");

    /// <summary>A read-only view of the request body that throws once more than <c>limit</c> bytes have been read.</summary>
    private sealed class SizeLimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            _read += read;
            return _read > limit ? throw new RequestTooLargeException() : read;
        }
    }
}
