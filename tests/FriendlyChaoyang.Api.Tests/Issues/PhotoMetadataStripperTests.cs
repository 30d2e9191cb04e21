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
}
