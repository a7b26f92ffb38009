using Pipeline.Training.Heads;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ClassificationHeadSpecs
{
    [Fact]
    public void A_single_label_classifier_learns_a_small_batch()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var task = new TaskHeadSpec("intent", TaskKind.SingleLabel, 3);
        using var classifier = new TextClassifier(TinyBert.Create(), [task]);
        var (ids, mask) = TinyBert.Batch();
        var labels = new TaskLabels(tensor(new long[] { 2, 0 }), ones(2, dtype: ScalarType.Bool));
        using var optimizer = optim.AdamW(classifier.parameters(), lr: 1e-3);
        classifier.train();
        var first = 0f;
        var last = 0f;

        // Act
        for (var step = 0; step < 15; step++)
        {
            using var stepScope = NewDisposeScope();
            var logits = classifier.forward(ids, mask, null);
            var loss = TaskLosses.Loss(task, logits["intent"], labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            first = step == 0 ? last : first;
        }

        // Assert
        Assert.Equal(new long[] { 2, 3 }, classifier.forward(ids, mask, null)["intent"].shape);
        Assert.Contains("heads.intent.classifier.weight", classifier.state_dict().Keys);
        Assert.Contains("bert.encoder.layer.0.attention.self.query.weight", classifier.state_dict().Keys);
        Assert.True(last < first * 0.5, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Multi_label_decisions_use_each_labels_own_threshold()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var task = new TaskHeadSpec("tags", TaskKind.MultiLabel, 3) { Thresholds = [0.5f, 0.9f, 0.1f] };
        var logits = tensor(new float[] { 0.5f, 1.0f, -1.0f }, [1, 3]); // sigmoid: 0.62, 0.73, 0.27

        // Act
        var decision = TaskLosses.Decide(task, logits);

        // Assert
        bool[] expected = [true, false, true];
        Assert.Equal(expected, decision.data<bool>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => task with { Thresholds = [1.5f, 0.5f, 0.5f] });
    }

    [Fact]
    public void The_multitask_loss_masks_rows_without_a_tasks_label_and_weights_each_task()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var intent = new TaskHeadSpec("intent", TaskKind.SingleLabel, 3) { LossWeight = 2.0 };
        var tags = new TaskHeadSpec("tags", TaskKind.MultiLabel, 2) { LossWeight = 0.5 };
        var intentLogits = tensor(new float[] { 1, 2, 3, 0, 0, 5, 9, 9, 9, -9, 9, 9 }, [4, 3]);
        var tagLogits = tensor(new float[] { 100, -100, 100, -100, 0.3f, -0.2f, 1.5f, 0.5f }, [4, 2]);
        var labels = new Dictionary<string, TaskLabels>
        {
            ["intent"] = new(tensor(new long[] { 2, 0, -1, -1 }), TinyBert.Flags(true, true, false, false)),
            ["tags"] = new(tensor(new float[] { 0, 0, 0, 0, 1, 0, 0, 1 }, [4, 2]), TinyBert.Flags(false, false, true, true)),
        };
        var logits = new Dictionary<string, Tensor> { ["intent"] = intentLogits, ["tags"] = tagLogits };

        // Act
        var loss = TaskLosses.Multitask([intent, tags], logits, labels).item<float>();

        // Assert
        var expectedIntent = nn.functional.cross_entropy(intentLogits[..2], tensor(new long[] { 2, 0 })).item<float>();
        var expectedTags = nn.functional.binary_cross_entropy_with_logits(tagLogits[2..], tensor(new float[] { 1, 0, 0, 1 }, [2, 2])).item<float>();
        Assert.Equal((2.0 * expectedIntent) + (0.5 * expectedTags), loss, 4);
    }

    [Fact]
    public void A_task_with_no_labelled_row_in_the_batch_gets_no_gradient()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var intent = new TaskHeadSpec("intent", TaskKind.SingleLabel, 3);
        var tags = new TaskHeadSpec("tags", TaskKind.MultiLabel, 2);
        using var classifier = new TextClassifier(TinyBert.Create(), [intent, tags]);
        var (ids, mask) = TinyBert.Batch();
        var labels = new Dictionary<string, TaskLabels>
        {
            ["intent"] = new(tensor(new long[] { 1, 2 }), TinyBert.Flags(true, true)),
            ["tags"] = new(zeros(2, 2), TinyBert.Flags(false, false)),
        };

        // Act
        var loss = TaskLosses.Multitask(classifier.Tasks, classifier.forward(ids, mask, null), labels);
        loss.backward();

        // Assert
        var tagGrad = classifier.Head("tags").parameters().First().grad;
        Assert.True(tagGrad is null || tagGrad.abs().sum().item<float>() == 0f);
        Assert.True(classifier.Head("intent").parameters().First().grad!.abs().sum().item<float>() > 0f);
    }
}
