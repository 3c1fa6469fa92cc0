using System.Text.Json;

namespace Matching.Cli.Tests;

/// <summary><c>matching encode</c> on the tiny ONNX encoder of the library tests (model.onnx, vocab.txt and the vectors
/// numpy computed for it, expected.json).</summary>
public sealed class EncodeCommandTests
{
    private static readonly string s_encoder = Path.Combine(AppContext.BaseDirectory, "tiny-encoder");

    private static JsonElement Case(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(s_encoder, "expected.json"))).RootElement.GetProperty("cases").GetProperty(name);

    [Test]
    public void Encode_TextsInBothScripts_OneJsonLineEach_IdsAndVectorsOfTheModel()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["texts.txt"], "果蔬冷链保鲜期短\n");

        var result = Cli.Run("encode", "--encoder", s_encoder, "--in", dir["texts.txt"], "鱼塘死鱼，溶解氧在线监测。", "魚塘死魚，溶解氧在線監測。");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Err);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Err, Does.Match(@"^encoder onnx/[0-9a-f]{16}: dimension 6, pooling mean, output last_hidden_state, max_length 512"));
            Assert.That(lines.Select(l => l.GetProperty("text").GetString()), Is.EqualTo(new[] { "鱼塘死鱼，溶解氧在线监测。", "魚塘死魚，溶解氧在線監測。", "果蔬冷链保鲜期短" }));
            foreach (var (line, name) in lines.Zip(new[] { "fishpond", "fishpond", "coldchain" }))
            {
                Assert.That(line.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()),
                    Is.EqualTo(Case(name).GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())), name);
                var expected = Case(name).GetProperty("mean").EnumerateArray().Select(e => e.GetSingle()).ToArray();
                var actual = line.GetProperty("vector").EnumerateArray().Select(e => e.GetSingle()).ToArray();
                Assert.That(actual, Is.EqualTo(expected).Within(1e-5f), name);
            }
        }
    }

    [Test]
    public void Encode_DirectoryWithoutModel_ExitCode6_NamesModelOnnx()
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(s_encoder, "vocab.txt"), dir["vocab.txt"]);

        var result = Cli.Run("encode", "--encoder", dir.Path, "鱼塘");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ModelError));
        Assert.That(result.Err, Is.EqualTo($"error: {dir["model.onnx"]}: file not found (an encoder directory holds model.onnx and vocab.txt){Environment.NewLine}"));
        Assert.That(result.Out, Is.Empty);
    }
}
