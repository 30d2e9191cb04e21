using System.Globalization;
using System.Security.Claims;
using System.Text;
using FriendlyChaoyang.Seeds;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

// The alternative a team would build without Orleans: the same check-in endpoints, each request one PostgreSQL
// transaction with a row lock on the station ("UPDATE ... SET free = free - 1 WHERE id = $1 AND free > 0").
// Same JWT validation, same JSON, same durability (synchronous commit), so the comparison is like for like. For the
// lunch peak (bench/peak.sh) it also answers nearby with a need, offers the 3 nearest stations with room on a 409,
// stores hazard reports with their photo, and reads a rider's points and notifications.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var config = builder.Configuration;
var dataSource = NpgsqlDataSource.Create(config.GetConnectionString("Baseline")
    ?? throw new InvalidOperationException("ConnectionStrings:Baseline is not set."));
builder.Services.AddSingleton(dataSource);
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
{
    jwt.MapInboundClaims = false;
    jwt.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = config["Auth:Issuer"] ?? "friendly-chaoyang",
        ValidAudience = config["Auth:Audience"] ?? "friendly-chaoyang-app",
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(config["Auth:SigningKey"] ?? "")),
        NameClaimType = "sub",
        RoleClaimType = "role",
    };
});
builder.Services.AddAuthorizationBuilder().AddPolicy("rider", p => p.RequireRole("rider"));
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
await CreateSchemaAsync(dataSource);

app.MapPost("/api/v1/stations/{id}/check-ins", async (string id, ClaimsPrincipal user, NpgsqlDataSource db) =>
{
    var rider = user.FindFirstValue("sub")!;
    await using var connection = await db.OpenConnectionAsync();
    await using var tx = await connection.BeginTransactionAsync();
    await using (var take = new NpgsqlCommand("UPDATE bench_stations SET free = free - 1 WHERE id = $1 AND free > 0", connection, tx))
    {
        take.Parameters.AddWithValue(id);
        if (await take.ExecuteNonQueryAsync() == 0)
        {
            await tx.RollbackAsync();
            return Results.Problem(statusCode: 409, title: "No free seat.",
                extensions: new Dictionary<string, object?> { ["alternatives"] = await AlternativesAsync(db, id) });
        }
    }
    var at = DateTimeOffset.UtcNow;
    await using (var record = new NpgsqlCommand(
        "INSERT INTO bench_check_ins (rider_id, station_id, checked_in_at) VALUES ($1, $2, $3) ON CONFLICT (rider_id) DO NOTHING", connection, tx))
    {
        record.Parameters.AddWithValue(rider);
        record.Parameters.AddWithValue(id);
        record.Parameters.AddWithValue(at);
        if (await record.ExecuteNonQueryAsync() == 0)
        {
            await tx.RollbackAsync();
            return Results.Problem(statusCode: 409, title: "Checked in elsewhere.");
        }
    }
    await tx.CommitAsync();
    return Results.Ok(new { stationId = id, checkedInAt = at, charging = false });
}).RequireAuthorization("rider");

app.MapPost("/api/v1/stations/{id}/check-out", async (string id, ClaimsPrincipal user, NpgsqlDataSource db) =>
{
    var rider = user.FindFirstValue("sub")!;
    await using var connection = await db.OpenConnectionAsync();
    await using var tx = await connection.BeginTransactionAsync();
    DateTimeOffset checkedInAt;
    await using (var leave = new NpgsqlCommand(
        "DELETE FROM bench_check_ins WHERE rider_id = $1 AND station_id = $2 RETURNING checked_in_at", connection, tx))
    {
        leave.Parameters.AddWithValue(rider);
        leave.Parameters.AddWithValue(id);
        if (await leave.ExecuteScalarAsync() is not DateTime at)
        {
            await tx.RollbackAsync();
            return Results.Problem(statusCode: 409, title: "Not checked in.");
        }
        checkedInAt = new DateTimeOffset(at, TimeSpan.Zero);
    }
    await using (var free = new NpgsqlCommand("UPDATE bench_stations SET free = free + 1 WHERE id = $1", connection, tx))
    {
        free.Parameters.AddWithValue(id);
        await free.ExecuteNonQueryAsync();
    }
    await tx.CommitAsync();
    return Results.Ok(new { stationId = id, checkedInAt, checkedOutAt = DateTimeOffset.UtcNow });
}).RequireAuthorization("rider");

// With a need (seat or charging: the baseline has one kind of place), only stations with a free one.
app.MapGet("/api/v1/stations/nearby", async (double lat, double lon, double? radius, int? limit, string? need, NpgsqlDataSource db) =>
    Results.Ok(await NearestAsync(db, lat, lon, radius ?? 3000, limit ?? 10, withRoom: need is not null, exclude: null)));

// Hazard reports: the form read and its photo checked by content, then one row (photo included) in one transaction.
app.MapPost("/api/v1/issues", async (HttpRequest request, ClaimsPrincipal user, NpgsqlDataSource db) =>
{
    var form = await request.ReadFormAsync();
    var photo = form.Files["photo"];
    if (!double.TryParse(form["lat"], CultureInfo.InvariantCulture, out var lat) || !double.TryParse(form["lon"], CultureInfo.InvariantCulture, out var lon)
        || string.IsNullOrWhiteSpace(form["category"]) || photo is null || photo.Length > 8 << 20)
    {
        return Results.Problem(statusCode: 400, title: "category, lat, lon and a photo are required.");
    }
    var bytes = new byte[photo.Length];
    await using (var stream = photo.OpenReadStream())
    {
        await stream.ReadExactlyAsync(bytes);
    }
    if (!(bytes.AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G']) || bytes.AsSpan().StartsWith((byte[])[0xFF, 0xD8, 0xFF])))
    {
        return Results.Problem(statusCode: 400, title: "The photo is not a PNG or JPEG.");
    }
    var subdistrict = SeedData.Subdistricts.MinBy(d => (d.Lat - lat) * (d.Lat - lat) + (d.Lon - lon) * (d.Lon - lon))!.Id;
    await using var insert = db.CreateCommand("""
        INSERT INTO bench_issues (rider_id, category, lat, lon, description, photo, subdistrict_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, reported_at
        """);
    insert.Parameters.AddWithValue(user.FindFirstValue("sub")!);
    insert.Parameters.AddWithValue(form["category"].ToString());
    insert.Parameters.AddWithValue(lat);
    insert.Parameters.AddWithValue(lon);
    insert.Parameters.AddWithValue(form["description"].ToString());
    insert.Parameters.AddWithValue(bytes);
    insert.Parameters.AddWithValue(subdistrict);
    await using var reader = await insert.ExecuteReaderAsync();
    await reader.ReadAsync();
    var issueId = $"iss-{reader.GetInt64(0)}";
    return Results.Created($"/api/v1/issues/{issueId}",
        new { id = issueId, status = "submitted", subdistrictId = subdistrict, duplicateOf = (string?)null, reportedAt = reader.GetDateTime(1) });
}).RequireAuthorization("rider").DisableAntiforgery();

app.MapGet("/api/v1/riders/me/points", async (ClaimsPrincipal user, NpgsqlDataSource db) =>
{
    await using var command = db.CreateCommand("SELECT coalesce((SELECT balance FROM bench_points WHERE rider_id = $1), 0)");
    command.Parameters.AddWithValue(user.FindFirstValue("sub")!);
    return Results.Ok(new { balance = (int)(await command.ExecuteScalarAsync())!, held = 0, entries = Array.Empty<object>() });
}).RequireAuthorization("rider");

app.MapGet("/api/v1/riders/me/notifications", async (ClaimsPrincipal user, NpgsqlDataSource db) =>
{
    await using var command = db.CreateCommand("SELECT id, at, text FROM bench_notifications WHERE rider_id = $1 ORDER BY id LIMIT 50");
    command.Parameters.AddWithValue(user.FindFirstValue("sub")!);
    var found = new List<object>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        found.Add(new { id = reader.GetInt64(0), at = reader.GetDateTime(1), text = reader.GetString(2) });
    }
    return Results.Ok(found);
}).RequireAuthorization("rider");

// Invariants after a run: no station below zero, and free seats agree with the recorded check-ins.
app.MapGet("/bench/invariants", async (NpgsqlDataSource db) =>
{
    await using var command = db.CreateCommand("""
        SELECT count(*) FILTER (WHERE s.free < 0),
               count(*) FILTER (WHERE s.seats - s.free <> coalesce(c.n, 0)),
               (SELECT count(*) FROM bench_check_ins)
        FROM bench_stations s LEFT JOIN (SELECT station_id, count(*) n FROM bench_check_ins GROUP BY station_id) c ON c.station_id = s.id
        """);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return Results.Ok(new { overbooked = reader.GetInt64(0), mismatched = reader.GetInt64(1), inside = reader.GetInt64(2) });
});

app.Run();

static async Task<List<object>> AlternativesAsync(NpgsqlDataSource db, string full)
{
    await using var at = db.CreateCommand("SELECT lat, lon FROM bench_stations WHERE id = $1");
    at.Parameters.AddWithValue(full);
    await using var reader = await at.ExecuteReaderAsync();
    await reader.ReadAsync();
    return await NearestAsync(db, reader.GetDouble(0), reader.GetDouble(1), 20_000, 3, withRoom: true, exclude: full);
}

static async Task<List<object>> NearestAsync(NpgsqlDataSource db, double lat, double lon, double radius, int limit, bool withRoom, string? exclude)
{
    await using var command = db.CreateCommand("""
        SELECT id, distance, free FROM (
          SELECT id, free, 2 * 6371008.8 * asin(sqrt(power(sin(radians(lat - $1) / 2), 2)
                 + cos(radians($1)) * cos(radians(lat)) * power(sin(radians(lon - $2) / 2), 2))) AS distance
          FROM bench_stations WHERE (NOT $5 OR free > 0) AND id IS DISTINCT FROM $6) s
        WHERE distance <= $3 ORDER BY distance LIMIT $4
        """);
    command.Parameters.AddWithValue(lat);
    command.Parameters.AddWithValue(lon);
    command.Parameters.AddWithValue(radius);
    command.Parameters.AddWithValue(limit);
    command.Parameters.AddWithValue(withRoom);
    command.Parameters.Add(new NpgsqlParameter { Value = (object?)exclude ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    var found = new List<object>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        found.Add(new { id = reader.GetString(0), distanceM = reader.GetDouble(1), seats = new { free = reader.GetInt32(2) } });
    }
    return found;
}

static async Task CreateSchemaAsync(NpgsqlDataSource db)
{
    await using (var schema = db.CreateCommand("""
        CREATE TABLE IF NOT EXISTS bench_stations (id text PRIMARY KEY, lat float8 NOT NULL, lon float8 NOT NULL,
            seats int NOT NULL, free int NOT NULL CHECK (free >= 0));
        CREATE TABLE IF NOT EXISTS bench_check_ins (rider_id text PRIMARY KEY, station_id text NOT NULL REFERENCES bench_stations,
            checked_in_at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS bench_issues (id bigserial PRIMARY KEY, rider_id text NOT NULL, category text NOT NULL,
            lat float8 NOT NULL, lon float8 NOT NULL, description text NOT NULL, photo bytea NOT NULL, subdistrict_id text NOT NULL,
            reported_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS bench_points (rider_id text PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0));
        CREATE TABLE IF NOT EXISTS bench_notifications (id bigserial PRIMARY KEY, rider_id text NOT NULL, at timestamptz NOT NULL, text text NOT NULL);
        CREATE INDEX IF NOT EXISTS bench_notifications_rider ON bench_notifications (rider_id, id);
        TRUNCATE bench_check_ins, bench_stations, bench_issues, bench_points, bench_notifications;
        """))
    {
        await schema.ExecuteNonQueryAsync();
    }
    await using var connection = await db.OpenConnectionAsync();
    await using var import = await connection.BeginBinaryImportAsync("COPY bench_stations (id, lat, lon, seats, free) FROM STDIN (FORMAT BINARY)");
    foreach (var s in SeedData.Stations)
    {
        await import.WriteRowAsync(CancellationToken.None, s.Id, s.Lat, s.Lon, s.Seats, s.Seats);
    }
    await import.CompleteAsync();
}
