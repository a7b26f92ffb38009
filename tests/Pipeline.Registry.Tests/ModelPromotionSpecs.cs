using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

public sealed class ModelPromotionSpecs : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<LocalRegistry> ArrangeAsync(int versions)
    {
        var registry = new LocalRegistry(_temp.Combine("mlruns"));
        await registry.CreateRegisteredModelAsync("m");
        for (var i = 0; i < versions; i++)
        {
            await registry.CreateModelVersionAsync("m", "runs:/r/model");
        }

        return registry;
    }

    [Fact]
    public async Task I_can_promote_a_version_and_see_who_and_why_on_it_and_the_previous_champion_on_the_model()
    {
        // Arrange
        using var registry = await ArrangeAsync(2);
        await registry.PromoteAsync("m", 1, "champion", "ci", "first model");

        // Act
        var move = await registry.PromoteAsync("m", 2, "champion", "alice", "better F1");
        var version = await registry.GetModelVersionAsync("m", 2);
        var model = await registry.GetRegisteredModelAsync("m");

        // Assert
        Assert.Equal(new AliasMove("m", "champion", 1, 2), move);
        Assert.Equal("alice", version.Tags["pipeline.champion.by"]);
        Assert.Equal("better F1", version.Tags["pipeline.champion.reason"]);
        Assert.Equal("1", model.Tags["pipeline.previous.champion"]);
        Assert.Equal(2, model.Aliases["champion"]);
    }

    [Fact]
    public async Task I_can_roll_back_to_the_previous_champion_and_roll_forward_again()
    {
        // Arrange
        using var registry = await ArrangeAsync(2);
        await registry.PromoteAsync("m", 1, "champion", "ci", "first");
        await registry.PromoteAsync("m", 2, "champion", "ci", "second");

        // Act
        var back = await registry.RollbackAsync("m", "champion", "bob", "regression in prod");
        var forward = await registry.RollbackAsync("m", "champion", "bob", "false alarm");

        // Assert
        Assert.Equal((2, 1), (back.Previous, back.Current));
        Assert.Equal((1, 2), (forward.Previous, forward.Current));
        Assert.Equal(2, (await registry.GetModelVersionByAliasAsync("m", "champion")).Version);
        Assert.Equal("rollback: regression in prod", (await registry.GetModelVersionAsync("m", 1)).Tags["pipeline.champion.reason"]);
    }

    [Fact]
    public async Task I_get_a_clear_error_when_there_is_nothing_to_roll_back_to_and_a_no_op_when_promoting_the_current_version()
    {
        // Arrange
        using var registry = await ArrangeAsync(1);
        await registry.PromoteAsync("m", 1, "champion", "ci", "first");

        // Act
        var error = await Assert.ThrowsAsync<Errors.PipelineException>(() => registry.RollbackAsync("m", "champion", "bob", "why not"));
        var same = await registry.PromoteAsync("m", 1, "champion", "ci", "again");

        // Assert
        Assert.Contains("no previous 'champion'", error.Message, StringComparison.Ordinal);
        Assert.True(same.Unchanged);
        Assert.Null(await registry.TryGetByAliasAsync("m", "challenger"));
    }
}
