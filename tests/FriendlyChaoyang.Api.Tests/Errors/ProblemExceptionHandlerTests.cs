using FriendlyChaoyang.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace FriendlyChaoyang.Tests.Errors;

/// <summary>What the chaos suite found: every way "the cluster or database is down" reaches the API must be a 503.</summary>
public sealed class ProblemExceptionHandlerTests
{
    public static TheoryData<Exception> Unavailable() => new()
    {
        new StorageUnavailableException("The database did not answer"),
        new TimeoutException("Response did not arrive on time"),
        new OrleansException("Error from storage provider during ReadStateAsync", new StorageUnavailableException("down")),
        new TaskCanceledException("A grain activation was cancelled"),
        new SiloUnavailableException("Silo is shutting down"),
        new ArgumentException("Could not find an implementation for interface fc.ICatalogGrain") { Source = "Orleans.Core" },
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task AnUnavailableClusterOrDatabaseIsA503WithRetryAfter(Exception exception)
    {
        var (handler, context) = Create();

        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task AnUnreadableRequestIsTheClientsFault()
    {
        var (handler, context) = Create();

        var handled = await handler.TryHandleAsync(context, new BadHttpRequestException("Failed to read parameter", 400), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
    }

    [Fact]
    public async Task AGenuineBugIsLeftToTheDefault500()
    {
        var (handler, context) = Create();

        Assert.False(await handler.TryHandleAsync(context, new InvalidOperationException("a bug"), CancellationToken.None));
    }

    private static (ProblemExceptionHandler Handler, DefaultHttpContext Context) Create()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        return (new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance), context);
    }
}
