using System.Security.Claims;
using System.Text;
using FriendlyChaoyang.Seeds;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

// The alternative a team would build without Orleans: the same check-in endpoints, each request one PostgreSQL
// transaction with a row lock on the station ("UPDATE ... SET free = free - 1 WHERE id = $1 AND free > 0").
// Same JWT validation, same JSON, same durability (synchronous commit), so the comparison is like for like.
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
            return Results.Problem(statusCode: 409, title: "No free seat.");
        }
    }
    var at = DateTimeOffset.UtcNow;
    await using (var record = new NpgsqlCommand(
        "INSERT INTO bench_check_ins (rider_id, station_id, checked_in_at) VALUES ($1, $2, $3)", connection, tx))
    {
        record.Parameters.AddWithValue(rider);
        record.Parameters.AddWithValue(id);
        record.Parameters.AddWithValue(at);
        await record.ExecuteNonQueryAsync();
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

app.MapGet("/api/v1/stations/nearby", async (double lat, double lon, double? radius, int? limit, NpgsqlDataSource db) =>
{
    await using var command = db.CreateCommand("""
        SELECT id, distance FROM (
          SELECT id, 2 * 6371008.8 * asin(sqrt(power(sin(radians(lat - $1) / 2), 2)
                 + cos(radians($1)) * cos(radians(lat)) * power(sin(radians(lon - $2) / 2), 2))) AS distance
          FROM bench_stations) s
        WHERE distance <= $3 ORDER BY distance LIMIT $4
        """);
    command.Parameters.AddWithValue(lat);
    command.Parameters.AddWithValue(lon);
    command.Parameters.AddWithValue(radius ?? 3000);
    command.Parameters.AddWithValue(limit ?? 10);
    var found = new List<object>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        found.Add(new { id = reader.GetString(0), distanceM = reader.GetDouble(1) });
    }
    return Results.Ok(found);
});

// Invariants after a run: no station below zero, and free seats agree with the recorded check-ins.
app.MapGet("/bench/invariants", async (NpgsqlDataSource db) =>
{
    await using var command = db.CreateCommand("""
        SELECT count(*) FILTER (WHERE s.free < 0),
               count(*) FILTER (WHERE s.seats - s.free <> coalesce(c.n, 0))
        FROM bench_stations s LEFT JOIN (SELECT station_id, count(*) n FROM bench_check_ins GROUP BY station_id) c ON c.station_id = s.id
        """);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return Results.Ok(new { overbooked = reader.GetInt64(0), mismatched = reader.GetInt64(1) });
});

app.Run();

static async Task CreateSchemaAsync(NpgsqlDataSource db)
{
    await using (var schema = db.CreateCommand("""
        CREATE TABLE IF NOT EXISTS bench_stations (id text PRIMARY KEY, lat float8 NOT NULL, lon float8 NOT NULL,
            seats int NOT NULL, free int NOT NULL CHECK (free >= 0));
        CREATE TABLE IF NOT EXISTS bench_check_ins (rider_id text PRIMARY KEY, station_id text NOT NULL REFERENCES bench_stations,
            checked_in_at timestamptz NOT NULL);
        TRUNCATE bench_check_ins, bench_stations;
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
