namespace FriendlyChaoyang.Api.Issues.Photos;

public enum PhotoFormat
{
    Unknown = 0,
    Jpeg = 1,
    Png = 2,
    WebP = 3,
}

/// <summary>Recognises a photo by its first bytes, never by its name or declared content type.</summary>
public static class PhotoFormats
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static PhotoFormat Detect(ReadOnlySpan<byte> content)
    {
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
        {
            return PhotoFormat.Jpeg;
        }
        if (content.StartsWith(PngSignature))
        {
            return PhotoFormat.Png;
        }
        if (content.Length >= 12 && content[..4].SequenceEqual("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8))
        {
            return PhotoFormat.WebP;
        }
        return PhotoFormat.Unknown;
    }

    public static string ContentType(PhotoFormat format) => format switch
    {
        PhotoFormat.Jpeg => "image/jpeg",
        PhotoFormat.Png => "image/png",
        PhotoFormat.WebP => "image/webp",
        _ => "application/octet-stream",
    };
}

/// <summary>The bytes claim to be an image of a supported format but are not well formed.</summary>
public sealed class InvalidPhotoException(string message) : Exception(message);
