using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace FriendlyChaoyang.Api.Issues.Photos;

public sealed record StoredPhoto(string ContentType, byte[] Content);

/// <summary>
/// Photos in PostgreSQL, which every API instance reaches (table <c>photos</c>, migration 0005). Content-addressed: each
/// photo is stored once under its SHA-256 (hex), so a retried upload stores nothing new and grain state only keeps the
/// hash. A database failure surfaces as <see cref="NpgsqlException"/>, which the API answers with 503.
/// </summary>
public sealed class PhotoStore(NpgsqlDataSource database)
{
    public async Task<string> PutAsync(byte[] content, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var command = database.CreateCommand("""
            INSERT INTO photos (sha256, content, content_type, size_bytes) VALUES ($1, $2, $3, $4)
            ON CONFLICT (sha256) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        command.Parameters.Add(new NpgsqlParameter { Value = content });
        command.Parameters.Add(new NpgsqlParameter { Value = PhotoFormats.ContentType(PhotoFormats.Detect(content)) });
        command.Parameters.Add(new NpgsqlParameter { Value = content.Length });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return hash;
    }

    /// <returns>The photo, or null when none has that hash.</returns>
    public async Task<StoredPhoto?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT content_type, content FROM photos WHERE sha256 = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredPhoto(reader.GetString(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }
}

public static class PhotoStoreSetup
{
    public static WebApplicationBuilder AddPhotoStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Orleans")
            ?? throw new InvalidOperationException("ConnectionStrings:Orleans is not set (environment variable ConnectionStrings__Orleans).");
        // Without a logger factory: Npgsql would log every command at Information; failures reach the exception handler.
        // A report stores its photo before it calls the issue grain (10 s response timeout): a frozen database must fail
        // the photo within seconds too (503), not hold the request for Npgsql's default 15 s connect + 30 s command.
        builder.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 4, CommandTimeout = 4 }.ConnectionString));
        builder.Services.AddSingleton<PhotoStore>();
        return builder;
    }
}
