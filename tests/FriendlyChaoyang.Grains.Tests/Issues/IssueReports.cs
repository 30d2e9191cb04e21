using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Tests.Issues;

/// <summary>Reports and transitions for grain tests.</summary>
public static class IssueReports
{
    private static int _spot;

    /// <summary>A point of its own for each report, about 300 m from the others, so tests never link each other's reports.</summary>
    public static (double Lat, double Lon) FreshSpot()
    {
        var n = Interlocked.Increment(ref _spot);
        return (39.94 + (n * 0.003), 116.38 + (n * 0.0005));
    }

    /// <summary>Two points 30 m apart on either side of the Jianwai/Chaowai boundary (the bisector of their centres).</summary>
    public static ((double Lat, double Lon) InJianwai, (double Lat, double Lon) InChaowai) AcrossTheJianwaiChaowaiBoundary()
    {
        var a = SeedData.Subdistricts.Single(s => s.Id == "jianwai");
        var b = SeedData.Subdistricts.Single(s => s.Id == "chaowai");
        var f = 15 / GeoMath.DistanceM(a.Lat, a.Lon, b.Lat, b.Lon);
        (double Lat, double Lon) At(double t) => (a.Lat + ((b.Lat - a.Lat) * t), a.Lon + ((b.Lon - a.Lon) * t));
        return (At(0.5 - f), At(0.5 + f));
    }

    public static NewIssue Report(string riderId, string category, (double Lat, double Lon) at) =>
        new(riderId, category, at.Lat, at.Lon, "test report", new string('a', 64));

    public static IssueTransition By(string to, string subdistrictId) => new(to, null, $"op-{subdistrictId}", subdistrictId);

    /// <summary>A request fingerprint of its own for each report.</summary>
    public static string Fingerprint(NewIssue report) => $"{report.ReporterId}|{report.Category}|{report.Lat}|{report.Lon}|{report.Description}";

    /// <summary>Submits a report that must be filed, and returns its receipt.</summary>
    public static async Task<IssueReceipt> FileAsync(this IIssueGrain issue, NewIssue report)
    {
        var result = await issue.SubmitAsync(report, Fingerprint(report));
        Assert.Equal(SubmitOutcome.Filed, result.Outcome);
        return result.Receipt!;
    }

    /// <summary>The issue in full (as an admin sees it), for tests about its state rather than about who sees what.</summary>
    public static Task<IssueView?> GetAsync(this IIssueGrain issue) => issue.GetAsync(IssueViewer.Admin);
}
