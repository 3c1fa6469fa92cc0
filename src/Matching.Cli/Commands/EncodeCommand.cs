using System.CommandLine;
using System.Text;
using System.Text.Json;
using Matching.Cli.Hosting;
using Matching.Text;

namespace Matching.Cli.Commands;

/// <summary><c>matching encode</c>: a diagnostic of a bring-your-own encoder directory — the token ids and the vector
/// it gives each text, so an organisation can check its model loads and behaves before a run uses it.</summary>
internal static class EncodeCommand
{
    public static Command Create(CommandHost host)
    {
        var encoder = new Option<string>("--encoder") { Description = "Encoder directory: model.onnx, vocab.txt, optional tokenizer_config.json and matching-encoder.json.", Required = true, HelpName = "DIR" };
        var input = new Option<string?>("--in") { Description = "UTF-8 file with one text a line (instead of, or after, the TEXT arguments).", HelpName = "FILE" };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: the directory's settings, else 1).", HelpName = "N" };
        var texts = new Argument<string[]>("TEXT") { Description = "Texts to encode.", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("encode", "Load an ONNX sentence encoder and print, for each text, its token ids and unit vector as JSON lines (a diagnostic).")
        {
            encoder, input, threads, texts,
        };

        command.SetAction(parse => host.Execute(() =>
        {
            var all = new List<string>(parse.GetValue(texts) ?? []);
            if (parse.GetValue(input) is { } path)
            {
                if (!File.Exists(path))
                {
                    throw new Matching.InputFormatException(path, 0, null, "file not found (given with --in)");
                }

                all.AddRange(File.ReadLines(path, Encoding.UTF8).Where(line => line.Length > 0));
            }

            if (parse.GetValue(threads) is < 1)
            {
                throw new UsageException("--threads: must be 1 or more");
            }

            using var loaded = OnnxTextEncoder.Load(parse.GetValue(encoder)!, parse.GetValue(threads));
            host.Err.WriteLine($"encoder {loaded.Fingerprint}: dimension {loaded.Dimension}, pooling {loaded.Pooling.ToString().ToLowerInvariant()}, " +
                $"output {loaded.OutputName}, max_length {loaded.MaxLength}");
            var vectors = loaded.Encode(all);
            var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            for (var i = 0; i < all.Count; i++)
            {
                using var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer, options))
                {
                    json.WriteStartObject();
                    json.WriteString("text", all[i]);
                    json.WriteStartArray("ids");
                    foreach (var id in loaded.Tokenize(all[i]))
                    {
                        json.WriteNumberValue(id);
                    }

                    json.WriteEndArray();
                    json.WriteStartArray("vector");
                    foreach (var value in vectors[i])
                    {
                        json.WriteNumberValue(value);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                host.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
