using System.Text;
using System.Text.Unicode;
using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class Utf8ScanTests
{
    private const string Text = "一种高能量密度锂离子电池正极材料及其制备方法\n鋰離子電池 ASCII 😀 é\n";

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(65536)]
    public void Run_ValidText_CountsEveryMultibyteSequenceAcrossChunks(int chunkSize)
    {
        var bytes = Encoding.UTF8.GetBytes(Text);

        var scan = Utf8Scan.Run(new MemoryStream(bytes), chunkSize);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scan.FirstInvalid, Is.Null);
            Assert.That(scan.ValidMultibyte, Is.EqualTo(Text.EnumerateRunes().Count(r => r.Value > 0x7F)));
        }
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(65536)]
    public void Run_RandomBytes_AgreesWithTheFrameworkValidator(int chunkSize)
    {
        var random = new Random(1);
        var valid = Encoding.UTF8.GetBytes(Text);
        for (var trial = 0; trial < 500; trial++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(0, 3); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
            }

            var scan = Utf8Scan.Run(new MemoryStream(bytes), chunkSize);

            Assert.That(scan.FirstInvalid is null, Is.EqualTo(Utf8.IsValid(bytes)), $"trial {trial}: {Convert.ToHexString(bytes)}");
        }
    }

    [TestCase(new byte[] { 0xC0, 0x80 }, "0xC0")]
    [TestCase(new byte[] { 0xE0, 0x80, 0x80 }, "0xE0 0x80")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, "0xED 0xA0")]
    [TestCase(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "0xF4 0x90")]
    [TestCase(new byte[] { 0x80 }, "0x80")]
    [TestCase(new byte[] { 0xC3, 0x28 }, "0xC3 0x28")]
    public void Run_OverlongSurrogateOrStray_ReportsTheSequence(byte[] bytes, string hex)
    {
        var scan = Utf8Scan.Run(new MemoryStream([(byte)'a', (byte)'\n', .. bytes]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scan.FirstInvalid!.Line, Is.EqualTo(2));
            Assert.That(scan.FirstInvalid.Problem, Does.StartWith($"invalid UTF-8 byte sequence {hex} ("));
        }
    }
}
