namespace Pipeline.Build.Tests;

public class ProcessSpecs
{
    [Fact]
    public async Task I_can_run_a_tool_and_see_its_output_streamed_line_by_line()
    {
        // Arrange
        using var output = new StringWriter();

        // Act
        await ProcessTasks.RunAsync("bash", ["-c", "echo one; echo two >&2"], Path.GetTempPath(), output);

        // Assert
        Assert.Contains("> bash -c \"echo one; echo two >&2\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("one\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("two\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_get_a_ProcessException_with_command_line_folder_exit_code_and_stderr_tail()
    {
        // Arrange
        var folder = Path.GetTempPath();

        // Act
        var exception = await Assert.ThrowsAsync<ProcessException>(() =>
            ProcessTasks.RunAsync("bash", ["-c", "echo fine; echo broken thing >&2; exit 3"], folder, TextWriter.Null));

        // Assert
        Assert.Equal(3, exception.ExitCode);
        Assert.Equal(folder, exception.WorkingDirectory);
        Assert.Equal("broken thing", exception.ErrorTail);
        Assert.StartsWith("bash -c", exception.CommandLine, StringComparison.Ordinal);
        Assert.Contains("exited with code 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("broken thing", exception.Message, StringComparison.Ordinal);
    }
}
