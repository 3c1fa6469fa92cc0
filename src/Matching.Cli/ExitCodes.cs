namespace Matching.Cli;

/// <summary>The exit codes of <c>matching</c>. Stable: scripts rely on them (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Done; outputs written.</summary>
    public const int Success = 0;

    /// <summary>A bug in Matching: an unexpected exception (the stack trace goes to stderr).</summary>
    public const int InternalError = 1;

    /// <summary>The command line is wrong: unknown verb or option, bad value, missing required option.</summary>
    public const int Usage = 2;

    /// <summary>An input file is missing or malformed; the message names file, line and field.</summary>
    public const int InputError = 3;

    /// <summary>An index is missing, damaged or from another analyzer/format version.</summary>
    public const int IndexError = 4;

    /// <summary>Outputs could not be written (permissions, disk full); previous outputs are untouched.</summary>
    public const int OutputError = 5;

    /// <summary>A ranker model is missing, damaged, or from another feature or analyzer version; or an encoder directory
    /// (<c>--encoder</c>) lacks model.onnx or vocab.txt, or its model, vocabulary or settings do not fit.</summary>
    public const int ModelError = 6;

    /// <summary>A cluster run failed: Redis or the silos unreachable, no live silo serves the run's index and model, or a
    /// batch failed on every attempt.</summary>
    public const int ClusterError = 7;

    /// <summary><c>train --require-no-loss</c>: the model would rank below BM25 on a set (cross-validated, or on a
    /// <c>--dev</c> set); no model was written.</summary>
    public const int RankerLoss = 8;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
