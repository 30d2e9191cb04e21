using System.Buffers.Binary;
using System.Text;
using CsCheck;
using FriendlyChaoyang.Api.Issues.Photos;
using static FriendlyChaoyang.Api.Tests.Issues.TestPhotos;

namespace FriendlyChaoyang.Api.Tests.Issues;

/// <summary>
/// Generated photos against the stripper: every input gets a photo or an <see cref="InvalidPhotoException"/> (the
/// API's 400), never another exception; metadata planted anywhere a metadata container can sit is gone from the output;
/// the output is its own fixpoint. CsCheck prints the seed of a failure; pass it as <c>seed:</c> to replay it.
/// </summary>
public sealed class PhotoMetadataStripperPropertyTests
{
    private const string Marker = "GPS 39.9070,116.4510";

    private static readonly Gen<byte[]> Planted =
        Gen.Select(Gen.Byte.Array[0, 6], Gen.Byte.Array[0, 6], (before, after) => (byte[])[.. before, .. Encoding.ASCII.GetBytes(Marker), .. after]);

    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 40];

    [Fact]
    public void RandomBytesBehindAPhotoSignatureAreAPhotoOrAnInvalidPhotoException()
    {
        byte[][] signatures = [[0xFF, 0xD8, 0xFF], PngSignature, [.. "RIFF"u8], [.. "RIFF"u8, 8, 0, 0, 0, .. "WEBP"u8]];
        Gen.Select(Gen.OneOf(signatures), Gen.Byte.Array[0, 300], (signature, tail) => (byte[])[.. signature, .. tail])
            .Sample(input => AssertStripsCanonicallyOrRefuses(input), iter: 20_000);
    }

    [Fact]
    public void MutatedPhotosAreAPhotoOrAnInvalidPhotoExceptionAndStripToAFixpoint()
    {
        Gen.Select(Gen.OneOf(Jpegs, Pngs, WebPs), Mutation.Array[1, 4], (photo, mutations) => mutations.Aggregate(photo, (p, m) => m.Apply(p)))
            .Sample(input => AssertStripsCanonicallyOrRefuses(input), iter: 20_000);
    }

    [Fact]
    public void JpegsKeepTheirScanAndLoseEveryPlantedMarker() => Jpegs.Sample(jpeg =>
    {
        var stripped = StripAndAssertNoMarker(jpeg);
        Assert.Equal([0xFF, 0xD9], stripped[^2..]);
    }, iter: 3_000);

    [Fact]
    public void PngsKeepTheirImageDataAndLoseEveryPlantedMarker() => Pngs.Sample(png =>
    {
        var stripped = StripAndAssertNoMarker(png);
        Assert.True(stripped.AsSpan().IndexOf(IdatData) > 0);
        Assert.True(Contains(stripped, "gAMA"));
    }, iter: 3_000);

    [Fact]
    public void WebPsKeepTheirBitstreamLoseEveryPlantedMarkerAndClaimNoMetadataInVp8x() => WebPs.Sample(webp =>
    {
        var stripped = StripAndAssertNoMarker(webp);
        Assert.True(Contains(stripped, "VP8 ") || Contains(stripped, "ANMF"));
        Assert.Equal((uint)(stripped.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(stripped.AsSpan(4)));
        if (Contains(stripped, "VP8X"))
        {
            Assert.Equal(0, stripped[20] & 0b1100_1101); // reserved, EXIF and XMP bits
        }
    }, iter: 3_000);

    private static void AssertStripsCanonicallyOrRefuses(byte[] input)
    {
        byte[] stripped;
        try
        {
            stripped = PhotoMetadataStripper.Strip(input);
        }
        catch (InvalidPhotoException)
        {
            return;
        }
        Assert.Equal(stripped, PhotoMetadataStripper.Strip(stripped));
    }

    private static byte[] StripAndAssertNoMarker(byte[] photo)
    {
        var stripped = PhotoMetadataStripper.Strip(photo);
        Assert.False(Contains(stripped, Marker), "a planted marker survived");
        Assert.Equal(PhotoFormats.Detect(photo), PhotoFormats.Detect(stripped));
        Assert.Equal(stripped, PhotoMetadataStripper.Strip(stripped));
        return stripped;
    }

    // JPEG: the frame, its tables and a scan, shuffled with metadata segments (EXIF, XMP, other APPn, MPF, JFXX,
    // COM, JPGn, an Adobe segment with bytes past its 12) and a JFIF header with a thumbnail; bytes after EOI.
    private static readonly Gen<byte[]> JpegMetadata = Gen.OneOf(
        Planted.Select(p => Segment(0xE1, [.. "Exif\0\0"u8, .. p])),
        Planted.Select(p => Segment(0xE1, [.. "http://ns.adobe.com/xap/1.0/\0"u8, .. p])),
        Gen.Select(Gen.Byte[0xE3, 0xEF], Planted, (marker, p) => Segment(marker, p)),
        Planted.Select(p => Segment(0xE2, [.. "MPF\0"u8, .. p])),
        Planted.Select(p => Segment(0xE0, [.. "JFXX\0"u8, 0x10, .. p])),
        Planted.Select(p => Segment(0xE0, [.. "JFIF\0"u8, 1, 2, 0, 0, 1, 0, 1, 2, 2, .. p])),
        Planted.Select(p => Segment(0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 1, .. p])),
        Planted.Select(p => Segment(0xFE, p)),
        Gen.Select(Gen.Byte[0xF0, 0xFD], Planted, (marker, p) => Segment(marker, p)));

    // Entropy-coded bytes: every 0xFF stuffed with 0x00, and sometimes a restart marker.
    private static readonly Gen<byte[]> ScanBytes = Gen.Select(Gen.Byte.Array[1, 60], Gen.Int[0, 60], Gen.Byte[0xD0, 0xD7], (bytes, at, restart) =>
    {
        var scan = bytes.SelectMany(b => b == 0xFF ? new byte[] { 0xFF, 0x00 } : [b]).ToList();
        scan.InsertRange(Math.Min(at, scan.Count), [0xFF, restart]);
        return scan.ToArray();
    });

    private static readonly Gen<byte[]> Jpegs =
        from metadata in JpegMetadata.Array[0, 6]
        from segments in Gen.Shuffle((byte[][])[
            .. metadata,
            Segment(0xE2, [.. "ICC_PROFILE\0"u8, 1, 1, 7, 7]),
            Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]),
            Segment(0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            Segment(0xC4, [0, 1, .. new byte[15], 0])])
        from scan in ScanBytes
        from trailing in Planted
        select (byte[])[0xFF, 0xD8, .. segments.SelectMany(s => s), .. Segment(0xDA, [1, 1, 0, 0, 63, 0]), .. scan, 0xFF, 0xD9, .. trailing];

    // PNG: text, EXIF, time and private chunks (second letter lower case, so never a standard chunk) around the image
    // data; bytes after IEND.
    private static readonly Gen<string> PrivateChunkType = Gen.Select(
        Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['A', 'Z']), Gen.Char['a', 'z'], Gen.Char['A', 'Z'], Gen.Char['a', 'z'],
        (a, b, c, d) => new string([a, b, c, d]));

    private static readonly Gen<byte[]> PngMetadata = Gen.OneOf(
        Planted.Select(p => Chunk("tEXt", [.. "Comment\0"u8, .. p])),
        Planted.Select(p => Chunk("zTXt", [.. "Comment\0\0"u8, .. p])),
        Planted.Select(p => Chunk("iTXt", [.. "XML:com.adobe.xmp\0\0\0\0\0"u8, .. p])),
        Planted.Select(p => Chunk("eXIf", p)),
        Planted.Select(p => Chunk("pHYs", p)),
        Gen.Select(PrivateChunkType, Planted, (type, p) => Chunk(type, p)));

    private static readonly Gen<byte[]> Pngs =
        from metadata in PngMetadata.Array[0, 6]
        from body in Gen.Shuffle((byte[][])[.. metadata, Chunk("gAMA", [0, 0, 0xB1, 0x8F]), Chunk("IDAT", IdatData), Chunk("IDAT", IdatData)])
        from trailing in Planted
        select (byte[])[.. PngSignature, .. Chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]), .. body.SelectMany(c => c), .. Chunk("IEND", []), .. trailing];

    // WebP: EXIF, XMP and unknown chunks (lower case FourCC, never a WebP one) beside a still or an animated image
    // whose frames carry unknown chunks too; random VP8X flags and reserved bytes; bytes after the RIFF chunk.
    private static readonly Gen<string> UnknownFourCc = Gen.Char['a', 'z'].Array[4].Select(c => new string(c));

    private static readonly Gen<byte[]> WebPMetadata = Gen.OneOf(
        Planted.Select(p => WebPChunk("EXIF", p)),
        Planted.Select(p => WebPChunk("XMP ", p)),
        Gen.Select(UnknownFourCc, Planted, (fourCc, p) => WebPChunk(fourCc, p)));

    private static readonly Gen<byte[]> Frame =
        from header in Gen.Byte.Array[16]
        from alpha in Bytes
        from bitstream in Bytes
        from unknown in Gen.Select(UnknownFourCc, Planted, (fourCc, p) => WebPChunk(fourCc, p))
        select WebPChunk("ANMF", [.. header, .. WebPChunk("ALPH", alpha), .. WebPChunk("VP8 ", bitstream), .. unknown]);

    private static readonly Gen<byte[][]> Image = Gen.OneOf(
        Bytes.Select(b => new[] { WebPChunk("VP8 ", b) }),
        Gen.Select(Gen.Byte.Array[6], Frame.Array[1, 3], (anim, frames) => (byte[][])[WebPChunk("ANIM", anim), .. frames]));

    private static readonly Gen<byte[]> WebPs =
        from vp8x in Gen.Byte.Array[10]
        from metadata in WebPMetadata.Array[0, 5]
        from icc in Gen.Bool
        from image in Image
        from body in Gen.Shuffle((byte[][])[.. metadata, .. image, .. (icc ? new[] { WebPChunk("ICCP", [1, 2, 3]) } : [])])
        from trailing in Planted
        select (byte[])[.. Riff([.. WebPChunk("VP8X", vp8x), .. body.SelectMany(c => c)]), .. trailing];

    /// <summary>One change to a file: a byte set, a run cut out or inserted, the end cut off, or a length field maxed.</summary>
    private sealed record Change(string What, Func<byte[], byte[]> Apply)
    {
        public override string ToString() => What;
    }

    private static readonly uint[] ExtremeLengths = [0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF];

    private static readonly Gen<Change> Mutation = Gen.OneOf(
        Gen.Select(Gen.Double.Unit, Gen.Byte, (at, value) => new Change($"set {at:F3} to {value}", b =>
        {
            var copy = b.ToArray();
            if (copy.Length > 0)
            {
                copy[Index(copy, at)] = value;
            }
            return copy;
        })),
        Gen.Double.Unit.Select(at => new Change($"cut at {at:F3}", b => b[..Index(b, at)])),
        Gen.Select(Gen.Double.Unit, Gen.Int[1, 16], (at, count) => new Change($"remove {count} at {at:F3}", b =>
        {
            var from = Index(b, at);
            return [.. b[..from], .. b[Math.Min(b.Length, from + count)..]];
        })),
        Gen.Select(Gen.Double.Unit, Gen.Byte.Array[1, 16], (at, bytes) => new Change($"insert {bytes.Length} at {at:F3}", b =>
        {
            var from = Index(b, at);
            return [.. b[..from], .. bytes, .. b[from..]];
        })),
        Gen.Select(Gen.Double.Unit, Gen.OneOf(ExtremeLengths), Gen.Bool, (at, length, bigEndian) => new Change($"length {length:X} at {at:F3}", b =>
        {
            var copy = b.ToArray();
            var from = Math.Min(Index(copy, at), Math.Max(0, copy.Length - 4));
            var field = copy.AsSpan(from, Math.Min(4, copy.Length - from));
            Span<byte> value = stackalloc byte[4];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(value, length);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(value, length);
            }
            value[..field.Length].CopyTo(field);
            return copy;
        })));

    private static int Index(byte[] bytes, double at) => Math.Clamp((int)(at * bytes.Length), 0, Math.Max(0, bytes.Length - 1));
}
