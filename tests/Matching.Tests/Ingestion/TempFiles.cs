using System.Text;

namespace Matching.Tests.Ingestion;

/// <summary>A fresh directory per test for the input files it writes; deleted afterwards.</summary>
internal sealed class TempFiles : IDisposable
{
    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    static TempFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public TempFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "matching-ingestion-" + Guid.NewGuid().ToString("N"));

    public static Encoding Gb18030 => Encoding.GetEncoding(54936);

    public string Write(string name, string text, Encoding? encoding = null, bool bom = false)
    {
        encoding ??= Utf8NoBom;
        byte[] bytes = bom ? [.. encoding.GetPreamble(), .. encoding.GetBytes(text)] : encoding.GetBytes(text);
        return WriteBytes(name, bytes);
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
