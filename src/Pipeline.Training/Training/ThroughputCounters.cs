using System.Diagnostics;

namespace Pipeline.Training.Training;

/// <summary>Training-only time (steps, not validation or checkpoints) and what it processed.</summary>
internal sealed class ThroughputCounters
{
    private readonly Stopwatch _clock = new();
    private long _examples;
    private long _realTokens;
    private long _slots;

    public long Steps { get; set; }

    public double Seconds => _clock.Elapsed.TotalSeconds;

    public double ExamplesPerSecond => Seconds > 0 ? _examples / Seconds : 0;

    public double TokensPerSecond => Seconds > 0 ? _realTokens / Seconds : 0;

    public double PaddingFraction => _slots == 0 ? 0 : 1.0 - ((double)_realTokens / _slots);

    public void Start() => _clock.Start();

    public void Stop(long examples, long realTokens, long slots)
    {
        _clock.Stop();
        _examples += examples;
        _realTokens += realTokens;
        _slots += slots;
    }
}
