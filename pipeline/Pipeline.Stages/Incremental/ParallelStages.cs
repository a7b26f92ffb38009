namespace Pipeline.Stages.Incremental;

/// <summary>Runs independent pieces of work at the same time, failing fast.</summary>
public static class ParallelStages
{
    /// <summary>
    /// Starts every task, and returns their results in the order given. When one fails, the
    /// others are cancelled and that first failure is rethrown (not the cancellations it caused).
    /// </summary>
    public static async Task<IReadOnlyList<T>> RunAsync<T>(IEnumerable<Func<CancellationToken, Task<T>>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? first = null;
        var tasks = work.Select(async item =>
        {
            try
            {
                return await Task.Run(() => item(linked.Token), linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !linked.IsCancellationRequested || cancellationToken.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref first, ex, null);
                await linked.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToList();

        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (first is not null && !cancellationToken.IsCancellationRequested)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }
}
