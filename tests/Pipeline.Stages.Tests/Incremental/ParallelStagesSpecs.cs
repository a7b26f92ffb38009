using Pipeline.Errors;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages.Tests.Incremental;

public sealed class ParallelStagesSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task I_can_run_independent_stages_at_the_same_time()
    {
        // Arrange: each task waits for the other to start, which only works if both run at once.
        var firstStarted = new SemaphoreSlim(0);
        var secondStarted = new SemaphoreSlim(0);

        // Act
        var results = await ParallelStages.RunAsync<string>(
        [
            async ct => { firstStarted.Release(); return await secondStarted.WaitAsync(Patience, ct) ? "evaluate champion" : "alone"; },
            async ct => { secondStarted.Release(); return await firstStarted.WaitAsync(Patience, ct) ? "train challenger" : "alone"; },
        ]);

        // Assert
        Assert.Equal(["evaluate champion", "train challenger"], results);
    }

    [Fact]
    public async Task I_get_the_first_failure_and_the_other_stages_are_cancelled()
    {
        // Arrange
        var cancelled = false;

        // Act
        var error = await Assert.ThrowsAsync<StageFailedException>(() => ParallelStages.RunAsync<int>(
        [
            async ct =>
            {
                try
                {
                    await Task.Delay(Patience, ct);
                    return 1;
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }
            },
            async _ => { await Task.Yield(); throw new StageFailedException("Train", "CUDA out of memory"); },
        ]));

        // Assert
        Assert.Equal("Train", error.Stage);
        Assert.True(cancelled);
    }
}
