using Pipeline.Training.Heads;
using Pipeline.Training.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class BatchCollatorSpecs
{
    private static readonly TrainingExample[] Examples =
    [
        new([101, 7, 8, 102], new Dictionary<string, int[]> { ["intent"] = [1] }),
        new([101, 9, 102], new Dictionary<string, int[]> { ["intent"] = [0] }),
    ];

    private static readonly TaskHeadSpec[] Tasks = [new("intent", TaskKind.SingleLabel, 2)];

    [Fact]
    public void A_batch_is_padded_to_its_longest_row_by_default()
    {
        // Act
        var batch = BatchCollator.Collate(Examples, [0, 1], Tasks, padId: 0, CPU);

        // Assert
        Assert.Equal(new long[] { 2, 4 }, batch.InputIds.shape);
        Assert.Equal(new long[] { 101, 9, 102, 0 }, batch.InputIds[1].data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 0 }, batch.AttentionMask[1].data<long>().ToArray());
        Assert.Equal(7, batch.RealTokens);
    }

    [Fact]
    public void A_fixed_length_pads_every_batch_to_it_with_the_mask_covering_only_real_tokens()
    {
        // Act
        var batch = BatchCollator.Collate(Examples, [1], Tasks, padId: 0, CPU, padTo: 8);

        // Assert
        Assert.Equal(new long[] { 1, 8 }, batch.InputIds.shape);
        Assert.Equal(new long[] { 101, 9, 102, 0, 0, 0, 0, 0 }, batch.InputIds[0].data<long>().ToArray());
        Assert.Equal(3, batch.AttentionMask.sum().item<long>());
    }
}
