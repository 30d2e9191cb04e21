using System.Buffers.Binary;
using System.Text;

namespace FriendlyChaoyang.Api.Tests.Issues;

/// <summary>Small, structurally valid images with metadata planted in them (no image library needed).</summary>
public static class TestPhotos
{
    public const string GpsMarker = "GPSLatitude=39.9087N";
    public const string CommentMarker = "secret-comment";
    public static readonly byte[] ScanData = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A];

    public static byte[] JpegWithExif()
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        Segment(jpeg, 0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        Segment(jpeg, 0xE1, [.. "Exif\0\0"u8, .. Encoding.ASCII.GetBytes(GpsMarker)]);
        Segment(jpeg, 0xE2, [.. "ICC_PROFILE\0"u8, 1, 1, 0xAB, 0xCD]);
        Segment(jpeg, 0xED, [.. "Photoshop 3.0\0"u8, .. Encoding.ASCII.GetBytes(GpsMarker)]);
        Segment(jpeg, 0xFE, Encoding.ASCII.GetBytes(CommentMarker));
        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(jpeg, 0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
        Segment(jpeg, 0xDA, [1, 1, 0, 0, 63, 0]);
        jpeg.AddRange(ScanData);
        jpeg.AddRange([0xFF, 0xD9]);
        return [.. jpeg];
    }

    public static byte[] PngWithText()
    {
        var png = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        Chunk(png, "IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        Chunk(png, "tEXt", Encoding.ASCII.GetBytes("Comment\0" + GpsMarker));
        Chunk(png, "eXIf", Encoding.ASCII.GetBytes(GpsMarker));
        Chunk(png, "tIME", [7, 233, 1, 1, 0, 0, 0]);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return [.. png];
    }

    public static byte[] WebPWithExif()
    {
        var body = new List<byte>();
        body.AddRange("WEBP"u8.ToArray());
        WebPChunk(body, "VP8X", [0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // ICC + EXIF + XMP flags
        WebPChunk(body, "ICCP", [1, 2, 3]);
        WebPChunk(body, "VP8 ", [9, 8, 7, 6, 5, 4]);
        WebPChunk(body, "EXIF", Encoding.ASCII.GetBytes(GpsMarker));
        WebPChunk(body, "XMP ", Encoding.ASCII.GetBytes("<x:xmpmeta>" + GpsMarker + "</x:xmpmeta>"));
        var riff = new List<byte>();
        riff.AddRange("RIFF"u8.ToArray());
        riff.AddRange(LittleEndian((uint)body.Count));
        riff.AddRange(body);
        return [.. riff];
    }

    public static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;

    private static void Segment(List<byte> jpeg, byte marker, byte[] payload)
    {
        jpeg.AddRange([0xFF, marker]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
        jpeg.AddRange(length);
        jpeg.AddRange(payload);
    }

    private static void Chunk(List<byte> png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.AddRange(length);
        png.AddRange(Encoding.ASCII.GetBytes(type));
        png.AddRange(data);
        png.AddRange(new byte[4]); // CRC: not checked by the stripper
    }

    private static void WebPChunk(List<byte> body, string fourCc, byte[] data)
    {
        body.AddRange(Encoding.ASCII.GetBytes(fourCc));
        body.AddRange(LittleEndian((uint)data.Length));
        body.AddRange(data);
        if (data.Length % 2 == 1)
        {
            body.Add(0);
        }
    }

    private static byte[] LittleEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
