using System.Globalization;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Issues;

namespace FriendlyChaoyang.Api.Open311;

/// <summary>
/// The query of GET requests: service_request_id (a comma list that overrides everything else), service_code and status
/// (comma lists), start_date and end_date (W3C date-times; at most 90 days apart, the last 90 days by default), and the
/// widely implemented page / page_size extension (at most 1000 a page, as the specification's default limit).
/// </summary>
public sealed record RequestQuery(
    IReadOnlyList<string>? Ids,
    IReadOnlySet<string>? ServiceCodes,
    IReadOnlySet<string>? Statuses,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Page,
    int PageSize)
{
    private static readonly char[] Comma = [','];

    /// <returns>The query, or null and the errors by parameter name.</returns>
    public static (RequestQuery? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var ids = List(query, "service_request_id");
        if (ids is not null && (ids.Count > Open311Api.MaxPageSize || ids.Any(id => !RouteIds.IsValid(id))))
        {
            errors["service_request_id"] = [$"At most {Open311Api.MaxPageSize} ids, comma separated; each {RouteIds.Rule}"];
        }
        var codes = List(query, "service_code");
        var statuses = List(query, "status");
        if (statuses is not null && statuses.Any(s => s is not ("open" or "closed")))
        {
            errors["status"] = ["open or closed (comma separated)."];
        }
        var start = Date(query, "start_date", errors);
        var end = Date(query, "end_date", errors);
        var (from, to) = (start, end) switch
        {
            ({ } s, { } e) => (s, e),
            ({ } s, null) => (s, Min(now, s + Open311Api.MaxRange)),
            (null, { } e) => (e - Open311Api.MaxRange, e),
            _ => (now - Open311Api.MaxRange, now),
        };
        if (from > to || to - from > Open311Api.MaxRange)
        {
            errors["end_date"] = ["start_date must come before end_date, at most 90 days apart."];
        }
        var page = Number(query, "page", 1, int.MaxValue, 1, errors);
        var pageSize = Number(query, "page_size", 1, Open311Api.MaxPageSize, Open311Api.MaxPageSize, errors);
        return errors.Count > 0
            ? (null, errors)
            : (new RequestQuery(ids, codes?.ToHashSet(StringComparer.Ordinal), statuses?.ToHashSet(StringComparer.Ordinal), from, to, page, pageSize), errors);
    }

    public bool Matches(IndexedIssue issue) =>
        issue.ReportedAt >= Start && issue.ReportedAt <= End
        && (ServiceCodes is null || ServiceCodes.Contains(issue.Category))
        && (Statuses is null || Statuses.Contains(ServiceRequests.StatusOf(issue.Status)));

    /// <summary>Comma lists, also declared several times; empty means not given.</summary>
    private static List<string>? List(IQueryCollection query, string name)
    {
        List<string> values = [.. query[name].SelectMany(v => (v ?? "").Split(Comma, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        return values.Count == 0 ? null : values;
    }

    private static DateTimeOffset? Date(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Open311Api.Value(query[name]) is not { } raw)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        errors[name] = ["A W3C date-time, e.g. 2026-01-01T00:00:00+08:00."];
        return null;
    }

    private static int Number(IQueryCollection query, string name, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (Open311Api.Value(query[name]) is not { } raw)
        {
            return fallback;
        }
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors[name] = [$"A whole number from {min} to {max}."];
        return fallback;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>Finds the issues a <see cref="RequestQuery"/> asks for through the day index grains: no scan of all issues.</summary>
public sealed class RequestFinder(IClusterClient cluster)
{
    public async Task<IReadOnlyList<IssueView>> FindAsync(RequestQuery query)
    {
        IEnumerable<string> ids;
        if (query.Ids is not null)
        {
            ids = query.Ids.Distinct(StringComparer.Ordinal);
        }
        else
        {
            var days = await Task.WhenAll(IssueDays.Between(query.Start, query.End)
                .Select(day => cluster.GetGrain<IIssueDayIndexGrain>(day).ListAsync()));
            ids = days.SelectMany(d => d)
                .Where(query.Matches)
                .OrderByDescending(i => i.ReportedAt)
                .ThenBy(i => i.Id, StringComparer.Ordinal)
                .Skip((int)Math.Min(int.MaxValue, (long)(query.Page - 1) * query.PageSize))
                .Take(query.PageSize)
                .Select(i => i.Id);
        }
        var views = await Task.WhenAll(ids.Select(id => cluster.GetGrain<IIssueGrain>(id).GetAsync(IssueViewer.Anyone)));
        // A report linked as a duplicate answers the issue it follows: list that issue once.
        return [.. views.OfType<IssueView>().DistinctBy(v => v.Id)];
    }
}
