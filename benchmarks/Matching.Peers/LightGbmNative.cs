using System.Runtime.InteropServices;

namespace Matching.Peers;

/// <summary>The C API of native LightGBM (<c>lib_lightgbm</c>, from the LightGBM NuGet package that
/// Microsoft.ML.LightGbm depends on — the same native library ML.NET trains with).</summary>
internal sealed unsafe partial class LightGbmNative : IDisposable
{
    private const string Library = "lib_lightgbm";
    private const int DataTypeFloat32 = 0;
    private const int PredictRawScore = 1;

    private IntPtr _booster;
    private IntPtr _fastConfig;

    private LightGbmNative(IntPtr booster, int iterations)
    {
        _booster = booster;
        Iterations = iterations;
    }

    public int Iterations { get; }

    public static LightGbmNative FromModelString(string model)
    {
        Check(LGBM_BoosterLoadModelFromString(model, out var iterations, out var booster));
        return new LightGbmNative(booster, iterations);
    }

    /// <summary><c>LGBM_BoosterPredictForMat</c>: row-major float32 rows, raw scores, one thread.</summary>
    public void Predict(ReadOnlySpan<float> rows, int count, int features, Span<double> scores)
    {
        fixed (float* data = rows)
        fixed (double* result = scores)
        {
            Check(LGBM_BoosterPredictForMat(_booster, data, DataTypeFloat32, count, features, 1, PredictRawScore, 0, -1, "num_threads=1", out var length, result));
            if (length != count)
            {
                throw new InvalidOperationException($"LightGBM returned {length} scores for {count} rows");
            }
        }
    }

    /// <summary><c>LGBM_BoosterPredictForMatSingleRowFast</c>: LightGBM's own single-row path (config parsed once).</summary>
    public double PredictRow(ReadOnlySpan<float> row)
    {
        if (_fastConfig == IntPtr.Zero)
        {
            Check(LGBM_BoosterPredictForMatSingleRowFastInit(_booster, PredictRawScore, 0, -1, DataTypeFloat32, row.Length, "num_threads=1", out _fastConfig));
        }

        double score;
        fixed (float* data = row)
        {
            Check(LGBM_BoosterPredictForMatSingleRowFast(_fastConfig, data, out _, &score));
        }

        return score;
    }

    public void Dispose()
    {
        if (_fastConfig != IntPtr.Zero)
        {
            _ = LGBM_FastConfigFree(_fastConfig);
            _fastConfig = IntPtr.Zero;
        }

        if (_booster != IntPtr.Zero)
        {
            _ = LGBM_BoosterFree(_booster);
            _booster = IntPtr.Zero;
        }
    }

    private static void Check(int code)
    {
        if (code != 0)
        {
            throw new InvalidOperationException("LightGBM: " + Marshal.PtrToStringUTF8(LGBM_GetLastError()));
        }
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_BoosterLoadModelFromString(string model, out int iterations, out IntPtr booster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_BoosterPredictForMat(IntPtr booster, float* data, int dataType, int rows, int columns, int rowMajor,
        int predictType, int startIteration, int iterations, string parameters, out long length, double* result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_BoosterPredictForMatSingleRowFastInit(IntPtr booster, int predictType, int startIteration, int iterations,
        int dataType, int columns, string parameters, out IntPtr fastConfig);

    [LibraryImport(Library)]
    private static partial int LGBM_BoosterPredictForMatSingleRowFast(IntPtr fastConfig, float* data, out long length, double* result);

    [LibraryImport(Library)]
    private static partial int LGBM_FastConfigFree(IntPtr fastConfig);

    [LibraryImport(Library)]
    private static partial int LGBM_BoosterFree(IntPtr booster);

    [LibraryImport(Library)]
    private static partial IntPtr LGBM_GetLastError();
}
