using Pipeline.Build.Terminal;
using Pipeline.Training.Training;
using Spectre.Console.Testing;

namespace Pipeline.Build.Tests;

public sealed class TrainingProgressSpecs
{
    [Theory]
    [InlineData(false, null, "xterm-256color", true)]
    [InlineData(false, "false", "xterm", true)]
    [InlineData(true, null, "xterm", false)]
    [InlineData(false, "true", "xterm", false)]
    [InlineData(false, "1", "xterm", false)]
    [InlineData(false, null, "dumb", false)]
    public void I_get_a_live_bar_only_on_a_terminal_and_plain_lines_when_redirected_in_CI_or_on_a_dumb_terminal(bool redirected, string? ci, string term, bool live)
    {
        // Arrange
        var environment = new Dictionary<string, string?> { ["CI"] = ci, ["TERM"] = term };

        // Act
        var interactive = ConsoleMode.IsInteractive(redirected, name => environment.GetValueOrDefault(name));

        // Assert
        Assert.Equal(live, interactive);
    }

    [Fact]
    public void The_bar_shows_epoch_step_loss_examples_per_second_and_ETA_from_the_trainers_reports()
    {
        // Arrange
        var terminal = new TestConsole().Interactive().EmitAnsiSequences().Width(200);
        var clock = new ManualClock();
        using var console = new BuildConsole(TextWriter.Null, terminal, clock);

        // Act
        using (var session = console.Begin("lora on minilm"))
        {
            Assert.True(session.IsLive);
            session.Report(new TrainProgress(1, 3, 10, 30, 0.9, 20));
            clock.Advance(TimeSpan.FromSeconds(4));
            session.Report(new TrainProgress(1, 3, 12, 30, 0.4321, 25.5));
        }

        // Assert: 2 steps in 4 s leave 18 steps, 36 s.
        Assert.Contains("epoch 2/3  step 12/30  loss 0.4321  25.5 ex/s  ETA 00:36", terminal.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_lines_written_while_the_bar_shows_go_through_the_terminal_and_after_it_plainly()
    {
        // Arrange
        var terminal = new TestConsole().Interactive().EmitAnsiSequences().Width(200);
        using var plain = new StringWriter();
        using var console = new BuildConsole(plain, terminal, new ManualClock());

        // Act
        using (var session = console.Begin("full on minilm"))
        {
            session.Report(new TrainProgress(0, 1, 1, 4, 1.5, 10));
            console.WriteLine("epoch 1 validation macro-F1 0.9");
        }

        console.WriteLine("Trained in 12.0 s");

        // Assert
        Assert.Contains("epoch 1 validation macro-F1 0.9", terminal.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1 validation", plain.ToString(), StringComparison.Ordinal);
        Assert.Equal("Trained in 12.0 s" + Environment.NewLine, plain.ToString());
    }

    [Fact]
    public void Without_a_terminal_training_shows_no_bar_and_the_log_lines_stay_plain()
    {
        // Arrange
        using var plain = new StringWriter();
        using var console = new BuildConsole(plain, live: null, new ManualClock());

        // Act
        using (var session = console.Begin("lp-ft on minilm"))
        {
            session.Report(new TrainProgress(0, 1, 1, 4, 1.5, 10));
            console.WriteLine("epoch 1/1 step 1/4 loss 1.5000");

            // Assert
            Assert.False(session.IsLive);
        }

        Assert.Equal("epoch 1/1 step 1/4 loss 1.5000" + Environment.NewLine, plain.ToString());
    }

    [Fact]
    public void The_ETA_counts_only_the_steps_this_run_took_so_a_resumed_run_is_not_told_it_is_nearly_done()
    {
        // Act: resumed at step 50 of 100; 10 steps in 20 s since.
        var eta = LiveTrainingProgress.EstimateRemaining(firstStep: 50, step: 60, totalSteps: 100, TimeSpan.FromSeconds(20));
        var unknown = LiveTrainingProgress.EstimateRemaining(firstStep: 50, step: 50, totalSteps: 100, TimeSpan.Zero);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(80), eta);
        Assert.Null(unknown);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
