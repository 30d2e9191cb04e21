using System.Text.Json.Nodes;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Issues;

namespace FriendlyChaoyang.Api.Open311;

/// <summary>
/// An issue as an Open311 service request, from its public view: no rider identity; description and media only when
/// the reporter published them (<see cref="NewIssue.Published"/>). open = submitted, dispatched, on_site; closed =
/// resolved, rejected; status_notes carry our finer status and the operator's latest note.
/// </summary>
public sealed class ServiceRequests(IReadOnlyList<IssueCategory> categories, IReadOnlyList<Subdistrict> subdistricts, string origin)
{
    public static async Task<ServiceRequests> CreateAsync(IClusterClient cluster, string origin)
    {
        var catalog = cluster.GetGrain<ICatalogGrain>(0);
        return new(await catalog.GetIssueCategoriesAsync(), await catalog.GetSubdistrictsAsync(), origin);
    }

    public static string StatusOf(string status) => IssueStatuses.IsOpen(status) ? "open" : "closed";

    public JsonObject Of(IssueView issue)
    {
        var category = categories.FirstOrDefault(c => c.Id == issue.Category);
        var subdistrict = subdistricts.FirstOrDefault(s => s.Id == issue.SubdistrictId);
        var latest = issue.History.Count > 0 ? issue.History[^1] : null;
        return new JsonObject
        {
            ["service_request_id"] = issue.Id,
            ["status"] = StatusOf(issue.Status),
            ["status_notes"] = latest?.Note is { Length: > 0 } note ? $"{issue.Status}: {note}" : issue.Status,
            ["service_name"] = category?.Name ?? issue.Category,
            ["service_code"] = issue.Category,
            ["description"] = issue.Description,
            ["agency_responsible"] = Agency(subdistrict, issue.SubdistrictId),
            ["service_notice"] = Notice(issue),
            ["requested_datetime"] = Open311Document.DateTime(issue.ReportedAt),
            ["updated_datetime"] = Open311Document.DateTime(latest?.At ?? issue.ReportedAt),
            ["expected_datetime"] = category is null ? null : Open311Document.DateTime(issue.ReportedAt.AddHours(category.ResolveHours)),
            // No geocoder: the subdistrict is the most specific place we can name.
            ["address"] = subdistrict is null ? null : $"{subdistrict.NameZh} ({subdistrict.NamePinyin}), Chaoyang District, Beijing",
            ["address_id"] = null,
            ["zipcode"] = null,
            ["lat"] = issue.Lat,
            ["long"] = issue.Lon,
            ["media_url"] = issue.PhotoHash is not null ? origin + Open311Api.MediaPath(issue.Id) : issue.MediaUrl,
        };
    }

    public string Notice(IssueView issue)
    {
        var agency = Agency(subdistricts.FirstOrDefault(s => s.Id == issue.SubdistrictId), issue.SubdistrictId);
        return IssueStatuses.IsOpen(issue.Status)
            ? $"Sent to the {agency}, expected on site by {Open311Document.DateTime(issue.DueAt)}."
            : $"Closed by the {agency}.";
    }

    private static string Agency(Subdistrict? subdistrict, string id) =>
        subdistrict is null ? $"{id} subdistrict emergency team" : $"{subdistrict.NameZh} ({subdistrict.NamePinyin}) subdistrict emergency team";
}
