using System.Buffers.Binary;
using System.Text;

namespace FriendlyChaoyang.Api.Tests.Issues;

/// <summary>Small, structurally valid images with metadata planted in them (no image library needed).</summary>
public static class TestPhotos
{
    public const string GpsMarker = "GPSLatitude=39.9087N";
    public const string CommentMarker = "secret-comment";
    public static readonly byte[] ScanData = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A];

    /// <param name="scanData">Entropy-coded bytes (0xFF stuffed); different bytes make a different photo.</param>
    public static byte[] JpegWithExif(byte[]? scanData = null) =>
    [
        0xFF, 0xD8,
        .. Segment(0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
        .. Segment(0xE1, [.. "Exif\0\0"u8, .. Encoding.ASCII.GetBytes(GpsMarker)]),
        .. Segment(0xE2, [.. "ICC_PROFILE\0"u8, 1, 1, 0xAB, 0xCD]),
        .. Segment(0xED, [.. "Photoshop 3.0\0"u8, .. Encoding.ASCII.GetBytes(GpsMarker)]),
        .. Segment(0xFE, Encoding.ASCII.GetBytes(CommentMarker)),
        .. Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]),
        .. Segment(0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
        .. Segment(0xDA, [1, 1, 0, 0, 63, 0]),
        .. scanData ?? ScanData,
        0xFF, 0xD9,
    ];

    public static byte[] PngWithText() =>
    [
        .. PngSignature,
        .. Chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
        .. Chunk("tEXt", Encoding.ASCII.GetBytes("Comment\0" + GpsMarker)),
        .. Chunk("eXIf", Encoding.ASCII.GetBytes(GpsMarker)),
        .. Chunk("tIME", [7, 233, 1, 1, 0, 0, 0]),
        .. Chunk("IDAT", IdatData),
        .. Chunk("IEND", []),
    ];

    public static byte[] WebPWithExif() => Riff(
    [
        .. WebPChunk("VP8X", [0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0]), // ICC + EXIF + XMP flags
        .. WebPChunk("ICCP", [1, 2, 3]),
        .. WebPChunk("VP8 ", [9, 8, 7, 6, 5, 4]),
        .. WebPChunk("EXIF", Encoding.ASCII.GetBytes(GpsMarker)),
        .. WebPChunk("XMP ", Encoding.ASCII.GetBytes("<x:xmpmeta>" + GpsMarker + "</x:xmpmeta>")),
    ]);

    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static readonly byte[] IdatData = [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01];

    public static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;

    /// <summary>A JPEG marker segment: 0xFF, the marker, a big-endian length that counts itself, the payload.</summary>
    public static byte[] Segment(byte marker, byte[] payload)
    {
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return segment;
    }

    /// <summary>A PNG chunk: big-endian length, type, data and a CRC (zero: the stripper does not check it).</summary>
    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        return chunk;
    }

    /// <summary>A RIFF chunk: FourCC, little-endian size, data and a pad byte after an odd size.</summary>
    public static byte[] WebPChunk(string fourCc, byte[] data)
    {
        var chunk = new byte[8 + data.Length + (data.Length % 2)];
        Encoding.ASCII.GetBytes(fourCc, chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
        data.CopyTo(chunk, 8);
        return chunk;
    }

    /// <summary>A WebP file around the given chunks.</summary>
    public static byte[] Riff(byte[] chunks)
    {
        var riff = new byte[12 + chunks.Length];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(4 + chunks.Length));
        "WEBP"u8.CopyTo(riff.AsSpan(8));
        chunks.CopyTo(riff, 12);
        return riff;
    }
}
