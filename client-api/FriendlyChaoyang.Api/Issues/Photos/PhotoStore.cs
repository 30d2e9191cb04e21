using System.Security.Cryptography;

namespace FriendlyChaoyang.Api.Issues.Photos;

public sealed class BlobOptions
{
    public const string Section = "Blobs";

    /// <summary>Folder of the content-addressed blob store; relative paths are under the content root.</summary>
    public string Path { get; set; } = ".data/blobs";
}

/// <summary>
/// A content-addressed folder: each blob is stored once under its SHA-256 (hex), so a retried upload stores nothing new
/// and grain state only keeps the hash.
/// </summary>
public sealed class PhotoStore(string root)
{
    public string Root { get; } = root;

    public async Task<string> PutAsync(byte[] content, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = PathOf(hash);
        if (File.Exists(path))
        {
            return hash;
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // Written beside the target and renamed, so a reader never sees half a photo.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, content, cancellationToken);
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp); // the same content won a race; it is identical by construction
        }
        return hash;
    }

    /// <returns>The blob's bytes, or null when no blob has that hash.</returns>
    public async Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        var path = PathOf(hash);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private string PathOf(string hash) => System.IO.Path.Combine(Root, hash[..2], hash);
}

public static class PhotoStoreSetup
{
    public static WebApplicationBuilder AddPhotoStore(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(BlobOptions.Section).Get<BlobOptions>() ?? new BlobOptions();
        var root = System.IO.Path.GetFullPath(options.Path, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(new PhotoStore(root));
        return builder;
    }
}
