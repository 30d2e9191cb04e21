using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Chaos;

/// <summary>A definitive answer: a 2xx or a 4xx. 5xx, timeouts and connection errors are retried, never returned.</summary>
public sealed record ApiAnswer(int Status, JsonElement Body, int Attempts)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>
/// The app's HTTP behaviour: retry a request that failed with 503/5xx/timeout/connection error, with the same body and
/// Idempotency-Key, until it gets a 2xx or a 4xx or the deadline passes. Every attempt is recorded.
/// </summary>
public sealed class ApiClient(HttpClient http, Observations observations)
{
    /// <summary>A hang longer than this counts as a timeout: the API's own Orleans response timeout is 10 s.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Retry-After is honoured up to this cap, so recovery is measured to about a second.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    public async Task<ApiAnswer?> SendAsync(string op, Func<HttpRequestMessage> build, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var start = observations.Now;
            AttemptOutcome outcome;
            var status = 0;
            TimeSpan backoff = TimeSpan.FromMilliseconds(250);
            using var request = build();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (status < 500)
                {
                    observations.Record(new Attempt(op, start, observations.Now, status < 400 ? AttemptOutcome.Success : AttemptOutcome.ClientError, status));
                    var body = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
                        ? JsonDocument.Parse(text).RootElement.Clone()
                        : default;
                    return new ApiAnswer(status, body, attempt);
                }
                if (status == 503)
                {
                    var retryAfter = response.Headers.RetryAfter?.Delta;
                    outcome = retryAfter is null ? AttemptOutcome.Unavailable503WithoutRetryAfter : AttemptOutcome.Unavailable503;
                    if (retryAfter is { } delta)
                    {
                        backoff = delta < MaxBackoff ? delta : MaxBackoff;
                    }
                }
                else
                {
                    outcome = AttemptOutcome.ServerError;
                    observations.ServerError(op, status, Truncate(text));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = AttemptOutcome.Timeout;
            }
            catch (HttpRequestException)
            {
                outcome = AttemptOutcome.ConnectionError;
            }
            observations.Record(new Attempt(op, start, observations.Now, outcome, status));
            if (DateTimeOffset.UtcNow + backoff > deadline)
            {
                return null;
            }
            await Task.Delay(backoff, cancellationToken);
        }
    }

    public static HttpRequestMessage Json(HttpMethod method, string url, string? token, object? body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return request;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text;

    public static bool IsServerSide(HttpStatusCode status) => (int)status >= 500;
}
