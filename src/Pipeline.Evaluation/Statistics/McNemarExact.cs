namespace Pipeline.Evaluation.Statistics;

/// <summary>McNemar's exact (binomial) test for two classifiers scored on the same rows.</summary>
public static class McNemarExact
{
    /// <summary>
    /// The two-sided exact p-value for <paramref name="b"/> and <paramref name="c"/> discordant pairs:
    /// min(1, 2·Σ_{k=0}^{min(b,c)} C(n,k)/2^n) with n = b + c; 1 when n = 0.
    /// Summed in log space, so it stays accurate for large n where 2^-n underflows.
    /// </summary>
    public static McNemarResult Test(int b, int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        var n = b + c;
        if (n == 0)
        {
            return new McNemarResult(b, c, 1.0);
        }

        var m = Math.Min(b, c);
        var ln2N = n * Math.Log(2.0);

        // ln C(n, k) built up term by term; the sum is a log-sum-exp over k = 0..m.
        var lnChoose = 0.0;
        var terms = new double[m + 1];
        for (var k = 0; k <= m; k++)
        {
            terms[k] = lnChoose - ln2N;
            lnChoose += Math.Log(n - k) - Math.Log(k + 1);
        }

        var max = terms.Max();
        var sum = 0.0;
        foreach (var t in terms)
        {
            sum += Math.Exp(t - max);
        }

        var tail = Math.Exp(max + Math.Log(sum));
        return new McNemarResult(b, c, Math.Min(1.0, 2.0 * tail));
    }

    /// <summary>Counts b and c from per-row correctness of the two models and tests them.</summary>
    internal static McNemarResult Test(ScoredRows champion, ScoredRows challenger)
    {
        var b = 0;
        var c = 0;
        for (var i = 0; i < champion.Count; i++)
        {
            var championRight = champion.Predicted[i] == champion.TrueLabels[i];
            var challengerRight = challenger.Predicted[i] == challenger.TrueLabels[i];
            if (championRight && !challengerRight)
            {
                b++;
            }
            else if (!championRight && challengerRight)
            {
                c++;
            }
        }

        return Test(b, c);
    }
}
