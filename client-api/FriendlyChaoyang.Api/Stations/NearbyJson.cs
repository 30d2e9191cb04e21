using System.Text.Json;
using System.Text.Json.Serialization;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Api.Stations;

/// <summary>
/// Nearby's answer, written by System.Text.Json's source-generated fast path: straight calls on the writer instead of the
/// reflection-built metadata walk, which was a fifth of the API's CPU per nearby search (docs/benchmarks.md, sixth look).
/// The API's shared options cannot take the fast path (their enum converter rules it out); a nearby station has no enum,
/// so these options write it exactly as <see cref="Hosting.WireJson"/> does (a test compares the two).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(IReadOnlyList<NearbyStation>))]
public sealed partial class NearbyJson : JsonSerializerContext;
