using System.Collections.Immutable;
using System.Net;
using FriendlyChaoyang.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Metadata;
using Orleans.Runtime;

namespace FriendlyChaoyang.Api.Tests.Errors;

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
        new AggregateException(new SiloUnavailableException("No gateways available")),
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task AnUnavailableClusterOrDatabaseIsA503WithRetryAfter(Exception exception)
    {
        var (handler, context, _) = Create(clusterKnown: true);

        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(InvalidOperationException))]
    public async Task BeforeTheClientHasTheClustersManifestItsArgumentOrInvalidOperationExceptionMeansNoCluster(Type exceptionType)
    {
        // What GetGrain throws while no silo was ever reached: "Could not find an implementation for interface ...".
        var exception = (Exception)Activator.CreateInstance(exceptionType, "Could not find an implementation for interface fc.ICatalogGrain")!;
        var (handler, context, _) = Create(clusterKnown: false);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }

    [Fact]
    public async Task AnUnreadableRequestIsTheClientsFaultAndNoWarningOrError()
    {
        var (handler, context, log) = Create(clusterKnown: true);

        var handled = await handler.TryHandleAsync(context, new BadHttpRequestException("Failed to read parameter", 400), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Information || e.Exception is not null);
    }

    [Fact]
    public async Task AnUnavailableClusterIsAWarningWithoutAStackTrace()
    {
        var (handler, context, log) = Create(clusterKnown: true);

        await handler.TryHandleAsync(context, new TimeoutException("Response did not arrive on time"), CancellationToken.None);

        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Contains("Response did not arrive on time", entry.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(InvalidOperationException))]
    public async Task OnceTheClusterIsKnownTheSameExceptionIsABugLeftToTheDefault500(Type exceptionType)
    {
        var (handler, context, _) = Create(clusterKnown: true);

        Assert.False(await handler.TryHandleAsync(context, (Exception)Activator.CreateInstance(exceptionType, "a bug")!, CancellationToken.None));
    }

    private static (ProblemExceptionHandler Handler, DefaultHttpContext Context, ListLogger Log) Create(bool clusterKnown)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var log = new ListLogger();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), new FixedManifest(clusterKnown), log);
        return (handler, context, log);
    }

    /// <summary>A client's manifest: the placeholder it starts with, or one fetched from a silo.</summary>
    private sealed class FixedManifest(bool fetchedFromCluster) : IClusterManifestProvider
    {
        private static readonly GrainManifest Empty = new(ImmutableDictionary<GrainType, GrainProperties>.Empty,
            ImmutableDictionary<GrainInterfaceType, GrainInterfaceProperties>.Empty);

        public ClusterManifest Current { get; } = new(
            fetchedFromCluster ? new MajorMinorVersion(1, 1) : MajorMinorVersion.MinValue,
            ImmutableDictionary<SiloAddress, GrainManifest>.Empty.Add(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1), Empty));

        public IAsyncEnumerable<ClusterManifest> Updates => AsyncEnumerable.Empty<ClusterManifest>();

        public GrainManifest LocalGrainManifest => Empty;
    }

    private sealed class ListLogger : ILogger<ProblemExceptionHandler>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
