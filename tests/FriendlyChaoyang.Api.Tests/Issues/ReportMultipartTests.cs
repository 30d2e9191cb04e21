using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Issues;

/// <summary>Raw multipart bodies a real client could send wrongly: each is a 4xx that names the problem and stores nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReportMultipartTests(ApiFixture fixture)
{
    private const string Boundary = "fc-test-boundary";

    [Fact]
    public async Task AMultipartBodyWithoutItsClosingBoundaryIs400CouldNotBeRead()
    {
        var body = Part("category", "pothole") + Part("lat", "39.9") + Part("lon", "116.4");

        var problem = await PostExpectingAsync(Body(body, $"multipart/form-data; boundary={Boundary}"), HttpStatusCode.BadRequest);

        Assert.Equal("The request could not be read.", problem.GetProperty("title").GetString());
        Assert.Contains("closing boundary", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultipartWithoutABoundaryIs400NamingTheMissingBoundary()
    {
        var body = Part("category", "pothole") + $"--{Boundary}--\r\n";

        var problem = await PostExpectingAsync(Body(body, "multipart/form-data"), HttpStatusCode.BadRequest);

        Assert.Contains("boundary", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("8 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormWith1100FieldsIs400AboutTooManyFields()
    {
        var body = string.Concat(Enumerable.Range(0, 1100).Select(i => Part($"f{i}", "x"))) + $"--{Boundary}--\r\n";

        var problem = await PostExpectingAsync(Body(body, $"multipart/form-data; boundary={Boundary}"), HttpStatusCode.BadRequest);

        Assert.Contains("count limit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyABodyOverTheLimitGets413WithThePhotoSizeEvenWithoutAContentLength()
    {
        var photo = new byte[(9 * 1024 * 1024)];
        TestPhotos.JpegWithExif().CopyTo(photo, 0);
        var (lat, lon) = IssuesApiTests.FreshSpot();
        using var form = IssuesApiTests.Report("pothole", lat, lon, "x", photo, "big.jpg");
        var bytes = await form.ReadAsByteArrayAsync();

        var problem = await PostExpectingAsync(new UnsizedContent(bytes, form.Headers.ContentType!), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("The photo may be at most 8 MB.", problem.GetProperty("detail").GetString());
    }

    private async Task<JsonElement> PostExpectingAsync(HttpContent content, HttpStatusCode status)
    {
        using var rider = await fixture.RiderAsync();
        var photos = await fixture.StoredPhotoCountAsync();

        var response = await rider.PostAsync("/api/v1/issues", content);

        var problem = await ProblemAssert.IsProblemAsync(response, status);
        Assert.Equal(photos, await fixture.StoredPhotoCountAsync());
        return problem;
    }

    private static string Part(string name, string value) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n";

    private static ByteArrayContent Body(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>A body sent without Content-Length (as a chunked upload is), so only reading it can find its size.</summary>
    private sealed class UnsizedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnsizedContent(byte[] bytes, MediaTypeHeaderValue contentType)
        {
            _bytes = bytes;
            Headers.ContentType = contentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
