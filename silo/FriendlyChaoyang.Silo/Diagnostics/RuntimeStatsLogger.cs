using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Silo.Diagnostics;

public sealed class RuntimeStatsOptions
{
    public const string Section = "Diagnostics";

    /// <summary>How often the silo logs one "Runtime stats" line (working set, GC heap, GC pauses, activations); off when zero.</summary>
    public TimeSpan RuntimeStatsPeriod { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Measurement only: a full, compacting GC before each line, so "GC heap" is the live set (what the grains hold) and
    /// memory freed by deactivated grains shows at once. These induced collections are left out of the pause figures.
    /// </summary>
    public bool CollectBeforeStats { get; set; }
}

/// <summary>
/// Logs the figures the memory benchmark needs (bench/peak.sh --mode memory) from inside the silo: working set, GC heap,
/// every GC pause since start (p50/p99/max, timed from the runtime's suspend and restart events) and this silo's
/// activations. One line per period, so a script can read them from the log.
/// </summary>
public sealed class RuntimeStatsLogger(
    IOptions<RuntimeStatsOptions> options, IGrainFactory grains, ILocalSiloDetails silo, ILogger<RuntimeStatsLogger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.RuntimeStatsPeriod;
        if (period <= TimeSpan.Zero)
        {
            return;
        }
        using var pauses = new GcPauseListener();
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (options.Value.CollectBeforeStats)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
            var (count, p50, p99, max) = pauses.Summary();
            var activations = await CountActivationsAsync();
            logger.LogInformation(
                "Runtime stats: working set {WorkingSetMb} MB, GC heap {HeapMb} MB, GC pauses {Pauses} (p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms, max {MaxMs:0.00} ms), activations {Activations}, riders {Riders}",
                Environment.WorkingSet >> 20, GC.GetGCMemoryInfo().HeapSizeBytes >> 20, count, p50, p99, max, activations.Total, activations.Riders);
        }
    }

    private async Task<(int Total, int Riders)> CountActivationsAsync()
    {
        try
        {
            var stats = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
            return (stats.Sum(s => s.ActivationCount), stats.Where(s => s.GrainType.Contains("RiderGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (-1, -1);
        }
    }

    /// <summary>Times each GC pause: from the runtime suspending threads to restarting them (induced collections left out).</summary>
    private sealed class GcPauseListener : EventListener
    {
        private const int SuspendBegin = 9;
        private const int GcStart = 1;
        private const int RestartEnd = 3;
        // The runtime's gc_reason values for collections a program asked for: GC.Collect (1), not forced (7), compacting
        // (10: what CollectBeforeStats does), aggressive (17). Only 1 used to be left out, so the stats logger's own
        // compacting collections of the whole heap were counted as pauses.
        private static readonly uint[] InducedReasons = [1, 7, 10, 17];
        private readonly List<double> _pausesMs = [];
        private DateTime? _suspendedAt;
        private bool _induced;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1); // GC keyword
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            lock (_pausesMs)
            {
                if (e.EventId == SuspendBegin)
                {
                    _suspendedAt = e.TimeStamp;
                    _induced = false;
                }
                else if (e.EventId == GcStart && e.PayloadNames?.IndexOf("Reason") is >= 0 and var i && InducedReasons.Contains(Convert.ToUInt32(e.Payload![i], CultureInfo.InvariantCulture)))
                {
                    _induced = true;
                }
                else if (e.EventId == RestartEnd && _suspendedAt is { } at)
                {
                    if (!_induced)
                    {
                        _pausesMs.Add((e.TimeStamp - at).TotalMilliseconds);
                    }
                    _suspendedAt = null;
                }
            }
        }

        public (int Count, double P50, double P99, double Max) Summary()
        {
            double[] sorted;
            lock (_pausesMs)
            {
                sorted = [.. _pausesMs.Order()];
            }
            return sorted.Length == 0
                ? (0, 0, 0, 0)
                : (sorted.Length, sorted[(int)(0.50 * (sorted.Length - 1))], sorted[(int)(0.99 * (sorted.Length - 1))], sorted[^1]);
        }
    }
}
