using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Issues;

/// <summary>
/// One subdistrict's open issues. Not reentrant, so the duplicate check and the opening of a new issue are one step:
/// two riders reporting the same pothole at once open one issue, not two.
/// </summary>
public sealed class SubdistrictIssuesGrain(
    [PersistentState("issue-queue", StorageNames.Default)] IPersistentState<SubdistrictIssuesState> state,
    IOptions<IssueOptions> options,
    TimeProvider clock) : Grain, ISubdistrictIssuesGrain
{
    private readonly IssueOptions _options = options.Value;

    public async Task<string?> OpenOrFindDuplicateAsync(QueuedIssue candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (!state.State.Open.ContainsKey(candidate.Id) && Duplicate(candidate) is { } duplicate)
        {
            return duplicate;
        }
        // Also when the same report is filed again (a retry): refresh it rather than treat it as its own duplicate.
        state.State.Open[candidate.Id] = candidate;
        await WriteAsync();
        return null;
    }

    public Task<string?> FindDuplicateAsync(QueuedIssue candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return Task.FromResult(Duplicate(candidate));
    }

    private string? Duplicate(QueuedIssue candidate) => state.State.Open.Values
        .Where(o => o.Id != candidate.Id && o.Category == candidate.Category && IssueStatuses.IsOpen(o.Status))
        .Where(o => GeoMath.DistanceM(o.Lat, o.Lon, candidate.Lat, candidate.Lon) <= _options.DuplicateRadiusM)
        .OrderBy(o => o.ReportedAt)
        .Select(o => o.Id)
        .FirstOrDefault();

    public async Task UpdateAsync(QueuedIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        if (state.State.Open.Track(issue.Id, issue.Status, issue))
        {
            await WriteAsync();
        }
    }

    public Task<IReadOnlyList<QueuedIssue>> ListAsync()
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<QueuedIssue> list = [.. state.State.Open.Values
            .Select(i => i with { Overdue = i.Overdue || (IssueStatuses.AwaitsResponse(i.Status) && now > i.DueAt) })
            .OrderByDescending(i => i.Overdue)
            .ThenBy(i => i.ReportedAt)
            .ThenBy(i => i.Id, StringComparer.Ordinal)];
        return Task.FromResult(list);
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
