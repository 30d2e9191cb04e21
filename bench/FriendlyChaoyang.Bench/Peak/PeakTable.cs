using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>Rows of every target's ladder, one JSON line each, and the one markdown table peak.sh prints at the end.</summary>
public static class PeakTable
{
    private sealed record Line(RateResult? Rate, string? Note);

    public static Task AppendAsync(string file, RateResult result) =>
        File.AppendAllTextAsync(file, JsonSerializer.Serialize(new Line(result, null)) + "\n");

    public static Task AppendNoteAsync(string file, string note) =>
        File.AppendAllTextAsync(file, JsonSerializer.Serialize(new Line(null, note)) + "\n");

    public static string Markdown(string file)
    {
        var lines = File.ReadAllLines(file).Select(l => JsonSerializer.Deserialize<Line>(l)!).ToList();
        var rows = lines.Where(l => l.Rate is not null).Select(l => l.Rate!).ToList();
        var text = new StringBuilder();
        text.AppendLine("| target | offered req/s | achieved req/s | p50 ms | p99 ms | p99.9 ms | requests | 409 | errors | invariants after the rate |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in rows)
        {
            var errors = r.Errors == 0 ? "0" : $"{r.Errors} ({r.ErrorKinds})";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Target} | {r.Offered} | {r.Achieved:0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.P999Ms:0.0} | {r.Requests} | {r.Conflicts} | {errors} | {r.Invariants} |");
        }
        text.AppendLine();
        var peaks = rows.GroupBy(r => r.Target)
            .Select(g => (Target: g.Key, Peak: g.Where(r => r.Sustainable).Select(r => (double?)r.Achieved).Max()))
            .ToList();
        var baseline = peaks.FirstOrDefault(p => p.Target.Contains("PostgreSQL", StringComparison.Ordinal)).Peak;
        foreach (var (target, peak) in peaks)
        {
            var ratio = peak is { } ours && baseline is > 0 && !target.Contains("PostgreSQL", StringComparison.Ordinal)
                ? $" = {ours / baseline.Value:0.00}x the plain-PostgreSQL alternative" : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"- sustainable peak (p99 < 100 ms, 0 errors), {target}: {(peak is { } p ? $"{p:0} req/s achieved{ratio}" : "none of the offered rates")}");
        }
        foreach (var note in lines.Where(l => l.Note is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note.Note}");
        }
        return text.ToString();
    }
}
