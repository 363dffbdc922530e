// Draws the packages' icon, eng/package-icon.png (128 x 128 RGBA): a white cloud on a blue rounded square, with an
// upward arrow whose shaft is three stacked parts (a multipart upload). Run from the repository root:
//
//   dotnet run eng/package-icon.cs
//
// Every pixel is 4 x 4 samples of the shapes below, so edges are antialiased; the PNG is written with the BCL's zlib.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

const int Size = 128;
const int Samples = 4;

var pixels = new byte[Size * Size * 4];
for (var y = 0; y < Size; y++)
{
    for (var x = 0; x < Size; x++)
    {
        double red = 0, green = 0, blue = 0, alpha = 0;
        for (var sy = 0; sy < Samples; sy++)
        {
            for (var sx = 0; sx < Samples; sx++)
            {
                var px = x + (sx + 0.5) / Samples;
                var py = y + (sy + 0.5) / Samples;
                if (!InRoundedSquare(px, py))
                {
                    continue;
                }

                var (r, g, b) = InCloud(px, py) && !InArrow(px, py) ? (255.0, 255.0, 255.0) : Background(py);
                red += r;
                green += g;
                blue += b;
                alpha += 255;
            }
        }

        var offset = (y * Size + x) * 4;
        var covered = alpha / 255;
        pixels[offset] = (byte)Math.Round(covered == 0 ? 0 : red / covered);
        pixels[offset + 1] = (byte)Math.Round(covered == 0 ? 0 : green / covered);
        pixels[offset + 2] = (byte)Math.Round(covered == 0 ? 0 : blue / covered);
        pixels[offset + 3] = (byte)Math.Round(alpha / (Samples * Samples));
    }
}

File.WriteAllBytes(Path.Combine("eng", "package-icon.png"), Png(pixels));

// A 128 x 128 square with corners of radius 24.
static bool InRoundedSquare(double x, double y)
{
    const double radius = 24;
    var dx = Math.Max(Math.Abs(x - Size / 2.0) - (Size / 2.0 - radius), 0);
    var dy = Math.Max(Math.Abs(y - Size / 2.0) - (Size / 2.0 - radius), 0);
    return dx * dx + dy * dy <= radius * radius;
}

// Three circles over a box: a cloud with a flat bottom at y = 92.
static bool InCloud(double x, double y) =>
    InCircle(x, y, 40, 70, 22) || InCircle(x, y, 64, 54, 28) || InCircle(x, y, 88, 70, 22)
    || (x >= 40 && x <= 88 && y >= 54 && y <= 92);

// An arrow head (apex at y = 34) over three parts with gaps between them.
static bool InArrow(double x, double y)
{
    var inHead = y >= 34 && y <= 56 && Math.Abs(x - 64) <= (y - 34) * 14 / 22;
    var inShaft = Math.Abs(x - 64) <= 7 && ((y >= 59 && y <= 66) || (y >= 69 && y <= 76) || (y >= 79 && y <= 86));
    return inHead || inShaft;
}

static bool InCircle(double x, double y, double cx, double cy, double radius) =>
    (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;

// Blue, lighter at the top.
static (double Red, double Green, double Blue) Background(double y)
{
    var t = y / Size;
    return (47 + (27 - 47) * t, 125 + (79 - 125) * t, 225 + (156 - 225) * t);
}

static byte[] Png(byte[] rgba)
{
    var header = new byte[13];
    BinaryPrimitives.WriteInt32BigEndian(header, Size);
    BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Size);
    header[8] = 8; // bits per channel
    header[9] = 6; // RGBA

    var compressed = new MemoryStream();
    using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize))
    {
        for (var row = 0; row < Size; row++)
        {
            zlib.WriteByte(0); // filter: none
            zlib.Write(rgba, row * Size * 4, Size * 4);
        }
    }

    var png = new MemoryStream();
    png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
    WriteChunk(png, "IHDR", header);
    WriteChunk(png, "IDAT", compressed.ToArray());
    WriteChunk(png, "IEND", []);
    return png.ToArray();
}

static void WriteChunk(Stream png, string type, byte[] data)
{
    Span<byte> number = stackalloc byte[4];
    BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
    png.Write(number);
    var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
    png.Write(typeAndData);
    BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
    png.Write(number);
}

// The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).
static uint Crc32(byte[] bytes)
{
    var crc = 0xFFFFFFFFu;
    foreach (var value in bytes)
    {
        crc ^= value;
        for (var bit = 0; bit < 8; bit++)
        {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
    }

    return ~crc;
}
