using System.Buffers.Binary;
using FriendlyChaoyang.Api.Issues.Photos;

namespace FriendlyChaoyang.Api.Tests.Issues;

public sealed class PhotoMetadataStripperTests
{
    [Fact]
    public void JpegLosesExifCommentsAndOtherAppSegmentsButKeepsJfifIccAndScan()
    {
        var stripped = PhotoMetadataStripper.Strip(TestPhotos.JpegWithExif());

        Assert.False(TestPhotos.Contains(stripped, "Exif"));
        Assert.False(TestPhotos.Contains(stripped, TestPhotos.GpsMarker));
        Assert.False(TestPhotos.Contains(stripped, TestPhotos.CommentMarker));
        Assert.True(TestPhotos.Contains(stripped, "JFIF"));
        Assert.True(TestPhotos.Contains(stripped, "ICC_PROFILE"));
        Assert.True(stripped.AsSpan().IndexOf(TestPhotos.ScanData) > 0);
        Assert.Equal([0xFF, 0xD8], stripped[..2]);
        Assert.Equal([0xFF, 0xD9], stripped[^2..]);
        Assert.Equal(PhotoFormat.Jpeg, PhotoFormats.Detect(stripped));
    }

    [Fact]
    public void PngLosesTextExifAndTimeChunks()
    {
        var stripped = PhotoMetadataStripper.Strip(TestPhotos.PngWithText());

        Assert.False(TestPhotos.Contains(stripped, TestPhotos.GpsMarker));
        Assert.False(TestPhotos.Contains(stripped, "tIME"));
        Assert.True(TestPhotos.Contains(stripped, "IHDR"));
        Assert.True(TestPhotos.Contains(stripped, "IDAT"));
        Assert.True(TestPhotos.Contains(stripped, "IEND"));
    }

    [Fact]
    public void WebPLosesExifAndXmpChunksClearsTheirFlagsAndFixesTheRiffSize()
    {
        var stripped = PhotoMetadataStripper.Strip(TestPhotos.WebPWithExif());

        Assert.False(TestPhotos.Contains(stripped, TestPhotos.GpsMarker));
        Assert.True(TestPhotos.Contains(stripped, "VP8 "));
        Assert.True(TestPhotos.Contains(stripped, "ICCP"));
        Assert.Equal((uint)(stripped.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(stripped.AsSpan(4)));
        var flags = stripped[20]; // RIFF(4) size(4) WEBP(4) VP8X(4) size(4) flags
        Assert.Equal(0x20, flags);
    }

    [Fact]
    public void TruncatedOrForeignContentIsRefused()
    {
        var jpeg = TestPhotos.JpegWithExif();

        Assert.Throws<InvalidPhotoException>(() => PhotoMetadataStripper.Strip(jpeg.AsSpan(0, 40)));
        Assert.Throws<InvalidPhotoException>(() => PhotoMetadataStripper.Strip("just some text, named photo.jpg"u8));
        Assert.Equal(PhotoFormat.Unknown, PhotoFormats.Detect("GIF89a"u8));
    }

    [Fact]
    public void APrivatePngChunkHoldingCoordinatesIsDropped()
    {
        byte[] png =
        [
            .. TestPhotos.PngSignature,
            .. TestPhotos.Chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
            .. TestPhotos.Chunk("zxIf", "GPS 39.9070,116.4510"u8.ToArray()),
            .. TestPhotos.Chunk("pHYs", [0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
            .. TestPhotos.Chunk("IDAT", TestPhotos.IdatData),
            .. TestPhotos.Chunk("IEND", []),
        ];

        var stripped = PhotoMetadataStripper.Strip(png);

        Assert.False(TestPhotos.Contains(stripped, "GPS"));
        Assert.Equal(png.Length - (12 + 20) - (12 + 9), stripped.Length);
    }

    [Fact]
    public void AWebPWhoseVp8xSizeIsTheLargestUInt32IsAnInvalidPhoto()
    {
        var webp = TestPhotos.WebPWithExif();
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(16), 0xFFFF_FFFF); // RIFF(4) size(4) WEBP(4) VP8X(4) size

        var refused = Assert.Throws<InvalidPhotoException>(() => PhotoMetadataStripper.Strip(webp));
        Assert.Contains("size", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJfifThumbnailAnAdobeTailAndASecondPictureInMpfAreDropped()
    {
        byte[] jpeg =
        [
            0xFF, 0xD8,
            .. TestPhotos.Segment(0xE0, [.. "JFIF\0"u8, 1, 2, 0, 0, 1, 0, 1, 1, 1, .. "thumb"u8]),
            .. TestPhotos.Segment(0xE2, [.. "MPF\0"u8, .. "second picture"u8]),
            .. TestPhotos.Segment(0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 1, .. "tail"u8]),
            .. TestPhotos.JpegWithExif()[2..],
        ];

        var stripped = PhotoMetadataStripper.Strip(jpeg);

        Assert.False(TestPhotos.Contains(stripped, "thumb"));
        Assert.False(TestPhotos.Contains(stripped, "second picture"));
        Assert.False(TestPhotos.Contains(stripped, "tail"));
        Assert.True(TestPhotos.Contains(stripped, "Adobe"));
        Assert.Equal(TestPhotos.Segment(0xE0, [.. "JFIF\0"u8, 1, 2, 0, 0, 1, 0, 1, 0, 0]), stripped[2..20]);
    }

    [Fact]
    public void UnknownChunksInsideAnAnimationFrameAreDropped()
    {
        var webp = TestPhotos.Riff(
        [
            .. TestPhotos.WebPChunk("VP8X", [0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            .. TestPhotos.WebPChunk("ANIM", [0, 0, 0, 0, 0, 0]),
            .. TestPhotos.WebPChunk("ANMF", [.. new byte[16], .. TestPhotos.WebPChunk("VP8L", [1, 2, 3]), .. TestPhotos.WebPChunk("gps!", "GPS 39.9070,116.4510"u8.ToArray())]),
        ]);

        var stripped = PhotoMetadataStripper.Strip(webp);

        Assert.False(TestPhotos.Contains(stripped, "GPS"));
        Assert.True(TestPhotos.Contains(stripped, "VP8L"));
        Assert.Equal((uint)(stripped.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(stripped.AsSpan(4)));
    }
}
