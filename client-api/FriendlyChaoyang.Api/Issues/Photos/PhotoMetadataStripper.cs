using System.Buffers.Binary;
using System.Text;

namespace FriendlyChaoyang.Api.Issues.Photos;

/// <summary>
/// Keeps only what a decoder needs to show the picture (an allow-list per format) and drops everything else: EXIF with
/// GPS, XMP, comments, text, thumbnails, private and unknown chunks, bytes after the end. Works on the container
/// structure only, so it never re-encodes pixels. The output is canonical: stripping it again changes nothing.
/// Malformed input throws <see cref="InvalidPhotoException"/> and nothing else; every length read from the input is
/// compared with the bytes that remain (a subtraction that cannot overflow) before it is used.
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

    // JFIF header up to the thumbnail size bytes, which are written as 0x0: a thumbnail can show what a crop removed.
    private const int JfifHeaderLength = 14;

    // "Adobe", version, two flag words and the colour transform, which tells a decoder whether 3 or 4 channels are
    // YCbCr/YCCK or RGB/CMYK: without it such JPEGs render in the wrong colours.
    private const int AdobeLength = 12;

    private static byte[] StripJpeg(ReadOnlySpan<byte> src)
    {
        using var output = new MemoryStream(src.Length);
        output.Write([0xFF, 0xD8]);
        var pos = 2;
        bool frame = false, scan = false;
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
            var marker = src[pos++];
            if (marker == 0xD9)
            {
                if (!frame || !scan)
                {
                    throw new InvalidPhotoException("JPEG: no image data.");
                }
                output.Write([0xFF, 0xD9]); // EOI; anything after it is dropped
                return output.ToArray();
            }
            if (marker is 0x00 or 0xD8)
            {
                throw new InvalidPhotoException("JPEG: unexpected marker.");
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // TEM, or a restart marker outside a scan: no payload, nothing a decoder needs
            }
            if (src.Length - pos < 2)
            {
                throw new InvalidPhotoException("JPEG: truncated segment.");
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(src[pos..]);
            if (length < 2 || length > src.Length - pos)
            {
                throw new InvalidPhotoException("JPEG: segment length out of range.");
            }
            var payload = src.Slice(pos + 2, length - 2);
            pos += length;
            frame |= marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            scan |= marker == 0xDA;
            var kept = KeptJpegLength(marker, payload);
            if (kept >= 0)
            {
                Span<byte> header = [0xFF, marker, 0, 0];
                BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(kept + 2));
                output.Write(header);
                if (marker == 0xE0)
                {
                    output.Write(payload[..(JfifHeaderLength - 2)]);
                    output.Write([0, 0]);
                }
                else
                {
                    output.Write(payload[..kept]);
                }
            }
            if (marker == 0xDA)
            {
                var end = ScanEnd(src, pos);
                output.Write(src[pos..end]);
                pos = end;
            }
        }
    }

    /// <returns>How much of the segment's payload to keep, or -1 to drop the segment.</returns>
    private static int KeptJpegLength(byte marker, ReadOnlySpan<byte> payload) => marker switch
    {
        0xE0 when payload.StartsWith("JFIF\0"u8) && payload.Length >= JfifHeaderLength => JfifHeaderLength,
        0xE2 when payload.StartsWith("ICC_PROFILE\0"u8) => payload.Length,
        0xEE when payload.StartsWith("Adobe"u8) && payload.Length >= AdobeLength => AdobeLength,
        // SOFn (0xC8 is reserved), DHT (C4), DAC (CC), SOS, DQT, DNL, DRI, DHP, EXP: the frame, its tables and scans.
        (>= 0xC0 and <= 0xCF and not 0xC8) or (>= 0xDA and <= 0xDF) => payload.Length,
        _ => -1, // APP1 (EXIF, XMP), every other application segment, COM, JFXX and MPF (thumbnails, other pictures)
    };

    /// <summary>Entropy-coded data runs until a marker that is neither a stuffed 0x00, a fill byte nor a restart marker.</summary>
    private static int ScanEnd(ReadOnlySpan<byte> src, int pos)
    {
        while (true)
        {
            var next = src[pos..].IndexOf((byte)0xFF);
            if (next < 0 || src.Length - (pos + next) < 2)
            {
                throw new InvalidPhotoException("JPEG: scan data has no end.");
            }
            pos += next;
            if (src[pos + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7)))
            {
                return pos;
            }
            pos++;
        }
    }

    // What renders the picture and its colours. Dropped among others: text (tEXt, zTXt, iTXt), eXIf, tIME, pHYs (print
    // resolution, which no screen uses), bKGD, the APNG chunks (the still default image remains), private chunks.
    private static readonly HashSet<string> KeptPngChunks = new(StringComparer.Ordinal)
    {
        "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP",
    };

    private static byte[] StripPng(ReadOnlySpan<byte> src)
    {
        using var output = new MemoryStream(src.Length);
        output.Write(src[..8]);
        var pos = 8;
        var imageData = false;
        while (true)
        {
            if (src.Length - pos < 12)
            {
                throw new InvalidPhotoException("PNG: truncated chunk.");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(src[pos..]);
            if (length > (uint)(src.Length - pos - 12))
            {
                throw new InvalidPhotoException("PNG: chunk length out of range.");
            }
            var type = src.Slice(pos + 4, 4);
            foreach (var b in type)
            {
                if (!char.IsAsciiLetter((char)b))
                {
                    throw new InvalidPhotoException("PNG: a chunk type is not four letters.");
                }
            }
            var name = Encoding.ASCII.GetString(type);
            if (pos == 8 && name != "IHDR")
            {
                throw new InvalidPhotoException("PNG: the first chunk is not IHDR.");
            }
            var end = pos + 12 + (int)length;
            if (KeptPngChunks.Contains(name))
            {
                output.Write(src[pos..end]);
            }
            imageData |= name == "IDAT";
            pos = end;
            if (name == "IEND")
            {
                return imageData ? output.ToArray() : throw new InvalidPhotoException("PNG: no image data.");
            }
        }
    }

    // VP8X flag bits (first payload byte), from the WebP container specification.
    private const byte WebPIccFlag = 0x20, WebPAlphaFlag = 0x10, WebPAnimationFlag = 0x02;
    private const int Vp8xLength = 10, AnmfHeaderLength = 16;

    private static readonly HashSet<string> KeptWebPChunks = new(StringComparer.Ordinal)
    {
        "VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP",
    };

    // A frame holds its header, then an optional ALPH, a bitstream and "unknown chunks", which are dropped too.
    private static readonly HashSet<string> KeptWebPFrameChunks = new(StringComparer.Ordinal) { "ALPH", "VP8 ", "VP8L" };

    private static byte[] StripWebP(ReadOnlySpan<byte> src)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(src[4..]);
        if (riffSize < 4 || riffSize > (uint)(src.Length - 8))
        {
            throw new InvalidPhotoException("WebP: RIFF size out of range.");
        }
        var body = src.Slice(12, (int)riffSize - 4); // bytes after the RIFF chunk are dropped
        var chunks = RiffChunks(body);
        if (chunks.FindLastIndex(c => c.FourCc == "VP8X") > 0)
        {
            throw new InvalidPhotoException("WebP: VP8X is not the first chunk.");
        }
        if (!chunks.Exists(c => c.FourCc is "VP8 " or "VP8L" or "ANMF"))
        {
            throw new InvalidPhotoException("WebP: no image data.");
        }
        var hasIcc = chunks.Exists(c => c.FourCc == "ICCP");

        using var output = new MemoryStream(src.Length);
        output.Write("RIFF\0\0\0\0WEBP"u8);
        foreach (var chunk in chunks.Where(c => KeptWebPChunks.Contains(c.FourCc)))
        {
            var payload = body.Slice(chunk.Offset, chunk.Length);
            if (chunk.FourCc == "VP8X")
            {
                if (payload.Length != Vp8xLength)
                {
                    throw new InvalidPhotoException("WebP: VP8X size is not 10.");
                }
                // EXIF and XMP are gone; ICC matches what is kept; the reserved bits and bytes are written as zero.
                var vp8x = payload.ToArray();
                vp8x[0] = (byte)((vp8x[0] & (WebPAlphaFlag | WebPAnimationFlag)) | (hasIcc ? WebPIccFlag : 0));
                vp8x.AsSpan(1, 3).Clear();
                WriteRiffChunk(output, chunk.FourCc, vp8x);
            }
            else if (chunk.FourCc == "ANMF")
            {
                if (payload.Length < AnmfHeaderLength)
                {
                    throw new InvalidPhotoException("WebP: ANMF frame header truncated.");
                }
                using var frame = new MemoryStream(payload.Length);
                frame.Write(payload[..AnmfHeaderLength]);
                var frameData = payload[AnmfHeaderLength..];
                foreach (var inner in RiffChunks(frameData).Where(c => KeptWebPFrameChunks.Contains(c.FourCc)))
                {
                    WriteRiffChunk(frame, inner.FourCc, frameData.Slice(inner.Offset, inner.Length));
                }
                WriteRiffChunk(output, chunk.FourCc, frame.GetBuffer().AsSpan(0, (int)frame.Length));
            }
            else
            {
                WriteRiffChunk(output, chunk.FourCc, payload);
            }
        }
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }

    private readonly record struct RiffChunk(string FourCc, int Offset, int Length);

    /// <summary>The chunks of a RIFF body (FourCC, little-endian size, data, a pad byte after odd sizes).</summary>
    private static List<RiffChunk> RiffChunks(ReadOnlySpan<byte> body)
    {
        var chunks = new List<RiffChunk>();
        var pos = 0;
        while (pos < body.Length)
        {
            if (body.Length - pos < 8)
            {
                throw new InvalidPhotoException("WebP: truncated chunk.");
            }
            var size = BinaryPrimitives.ReadUInt32LittleEndian(body[(pos + 4)..]);
            if (size > (uint)(body.Length - pos - 8))
            {
                throw new InvalidPhotoException("WebP: chunk size out of range.");
            }
            chunks.Add(new RiffChunk(Encoding.ASCII.GetString(body.Slice(pos, 4)), pos + 8, (int)size));
            pos += 8 + (int)size;
            if ((size & 1) == 1 && pos < body.Length)
            {
                pos++; // the pad byte (a last chunk may end without it)
            }
        }
        return chunks;
    }

    private static void WriteRiffChunk(MemoryStream output, string fourCc, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        Encoding.ASCII.GetBytes(fourCc, header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)data.Length);
        output.Write(header);
        output.Write(data);
        if (data.Length % 2 == 1)
        {
            output.WriteByte(0);
        }
    }
}
