using System.Buffers.Binary;

namespace FriendlyChaoyang.Api.Issues.Photos;

/// <summary>
/// Removes metadata that can identify a rider or a place (EXIF with GPS, XMP, comments, text chunks) while keeping what
/// decoders need: the image data, JFIF header and ICC colour profile. Works on the container structure only, so it
/// never re-encodes pixels. Malformed structure throws <see cref="InvalidPhotoException"/>.
/// </summary>
public static class PhotoMetadataStripper
{
    public static byte[] Strip(ReadOnlySpan<byte> content) => PhotoFormats.Detect(content) switch
    {
        PhotoFormat.Jpeg => StripJpeg(content),
        PhotoFormat.Png => StripPng(content),
        PhotoFormat.WebP => StripWebP(content),
        _ => throw new InvalidPhotoException("Not a JPEG, PNG or WebP image."),
    };

    private static byte[] StripJpeg(ReadOnlySpan<byte> src)
    {
        using var output = new MemoryStream(src.Length);
        output.Write(src[..2]); // SOI
        var pos = 2;
        while (true)
        {
            if (pos >= src.Length || src[pos] != 0xFF)
            {
                throw new InvalidPhotoException("JPEG: expected a marker.");
            }
            while (pos < src.Length && src[pos] == 0xFF)
            {
                pos++; // fill bytes
            }
            if (pos >= src.Length)
            {
                throw new InvalidPhotoException("JPEG: truncated.");
            }
            var marker = src[pos];
            var start = pos - 1;
            pos++;
            if (marker == 0xD9)
            {
                output.Write([0xFF, 0xD9]); // EOI; anything after it is dropped
                return output.ToArray();
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                output.Write(src[start..pos]);
                continue;
            }
            if (pos + 2 > src.Length)
            {
                throw new InvalidPhotoException("JPEG: truncated segment.");
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(src[pos..]);
            if (length < 2 || pos + length > src.Length)
            {
                throw new InvalidPhotoException("JPEG: segment length out of range.");
            }
            var payload = src[(pos + 2)..(pos + length)];
            var end = pos + length;
            if (Keep(marker, payload))
            {
                output.Write([0xFF, marker]);
                output.Write(src[pos..end]);
            }
            pos = end;
            if (marker == 0xDA)
            {
                // Entropy-coded scan data runs until the next marker that is not a stuffed byte or a restart marker.
                var scanStart = pos;
                while (pos + 1 < src.Length && !(src[pos] == 0xFF && src[pos + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7))))
                {
                    pos++;
                }
                if (pos + 1 >= src.Length)
                {
                    throw new InvalidPhotoException("JPEG: scan data has no end.");
                }
                output.Write(src[scanStart..pos]);
            }
        }
    }

    private static bool Keep(byte marker, ReadOnlySpan<byte> payload) => marker switch
    {
        0xE0 => payload.StartsWith("JFIF\0"u8),
        0xE2 => payload.StartsWith("ICC_PROFILE\0"u8),
        >= 0xE1 and <= 0xEF => false, // APP1 (EXIF, XMP) and every other application segment
        0xFE => false, // COM
        _ => true,
    };

    private static readonly HashSet<string> DroppedPngChunks = new(StringComparer.Ordinal) { "eXIf", "tEXt", "zTXt", "iTXt", "tIME" };

    private static byte[] StripPng(ReadOnlySpan<byte> src)
    {
        using var output = new MemoryStream(src.Length);
        output.Write(src[..8]);
        var pos = 8;
        while (true)
        {
            if (pos + 12 > src.Length)
            {
                throw new InvalidPhotoException("PNG: truncated chunk.");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(src[pos..]);
            if (length > int.MaxValue || pos + 12L + length > src.Length)
            {
                throw new InvalidPhotoException("PNG: chunk length out of range.");
            }
            var type = System.Text.Encoding.ASCII.GetString(src.Slice(pos + 4, 4));
            var end = pos + 12 + (int)length;
            if (!DroppedPngChunks.Contains(type))
            {
                output.Write(src[pos..end]);
            }
            pos = end;
            if (type == "IEND")
            {
                return output.ToArray();
            }
        }
    }

    private const byte WebPExifFlag = 0x08;
    private const byte WebPXmpFlag = 0x04;

    private static byte[] StripWebP(ReadOnlySpan<byte> src)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(src[4..]);
        if (riffSize < 4 || 8L + riffSize > src.Length)
        {
            throw new InvalidPhotoException("WebP: RIFF size out of range.");
        }
        var limit = 8 + (int)riffSize;
        using var output = new MemoryStream(src.Length);
        output.Write(src[..12]);
        var pos = 12;
        while (pos < limit)
        {
            if (pos + 8 > limit)
            {
                throw new InvalidPhotoException("WebP: truncated chunk.");
            }
            var fourCc = System.Text.Encoding.ASCII.GetString(src.Slice(pos, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(src[(pos + 4)..]);
            var padded = size + (size & 1);
            if (pos + 8L + padded > limit && pos + 8L + size != limit)
            {
                throw new InvalidPhotoException("WebP: chunk size out of range.");
            }
            var end = (int)Math.Min(limit, pos + 8L + padded);
            if (fourCc is not ("EXIF" or "XMP "))
            {
                var chunk = src[pos..end].ToArray();
                if (fourCc == "VP8X" && size >= 1)
                {
                    chunk[8] &= unchecked((byte)~(WebPExifFlag | WebPXmpFlag));
                }
                output.Write(chunk);
            }
            pos = end;
        }
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }
}
