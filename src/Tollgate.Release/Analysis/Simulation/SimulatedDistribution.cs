using System.Globalization;

namespace Tollgate.Release.Analysis.Simulation;

/// <summary>
/// A distribution the simulation draws a metric's samples from, with its exact mean and standard deviation (so
/// effects can be stated in σ units and margins in units of the true mean). Draws use only the
/// <see cref="Random"/> passed in, so a seeded generator gives the same samples on every run.
/// </summary>
public abstract record SimulatedDistribution
{
    /// <summary>A short label for reports, e.g. <c>normal(100, 50)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The exact mean.</summary>
    public abstract double Mean { get; }

    /// <summary>The exact standard deviation.</summary>
    public abstract double StandardDeviation { get; }

    /// <summary>One draw.</summary>
    public abstract double Sample(Random random);

    /// <summary>The same distribution with its mean moved by <paramref name="meanShift"/> (a worse canary).</summary>
    public abstract SimulatedDistribution ShiftedBy(double meanShift);

    /// <summary>A standard normal draw by Box-Muller from two uniforms (one draw per pair: no state is carried between calls).</summary>
    protected static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm is finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Invariant-culture formatting for <see cref="Name"/>.</summary>
    protected static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Normal(<paramref name="Location"/>, <paramref name="Scale"/>²): the model the asymptotic test assumes.</summary>
public sealed record NormalSamples(double Location, double Scale) : SimulatedDistribution
{
    /// <inheritdoc />
    public override string Name => Format($"normal({Location:G4}, {Scale:G4})");

    /// <inheritdoc />
    public override double Mean => Location;

    /// <inheritdoc />
    public override double StandardDeviation => Scale;

    /// <inheritdoc />
    public override double Sample(Random random) => Location + Scale * StandardNormal(random);

    /// <inheritdoc />
    public override SimulatedDistribution ShiftedBy(double meanShift) => this with { Location = Location + meanShift };
}

/// <summary>
/// exp(N(<paramref name="LogLocation"/>, <paramref name="LogScale"/>²)) + <paramref name="Offset"/>: right-skewed like
/// latency or slippage. A shift moves the whole distribution (<paramref name="Offset"/>), keeping its shape.
/// </summary>
public sealed record LogNormalSamples(double LogLocation, double LogScale, double Offset = 0) : SimulatedDistribution
{
    /// <inheritdoc />
    public override string Name => Offset == 0
        ? Format($"lognormal({LogLocation:G4}, {LogScale:G4})")
        : Format($"lognormal({LogLocation:G4}, {LogScale:G4}) + {Offset:G4}");

    /// <inheritdoc />
    public override double Mean => Math.Exp(LogLocation + LogScale * LogScale / 2) + Offset;

    /// <inheritdoc />
    public override double StandardDeviation => Math.Exp(LogLocation + LogScale * LogScale / 2) * Math.Sqrt(Math.Exp(LogScale * LogScale) - 1);

    /// <inheritdoc />
    public override double Sample(Random random) => Math.Exp(LogLocation + LogScale * StandardNormal(random)) + Offset;

    /// <inheritdoc />
    public override SimulatedDistribution ShiftedBy(double meanShift) => this with { Offset = Offset + meanShift };
}

/// <summary>1 with probability <paramref name="Probability"/>, else 0: a reject or error rate. A shift moves the probability.</summary>
public sealed record BernoulliSamples(double Probability) : SimulatedDistribution
{
    /// <inheritdoc />
    public override string Name => Format($"bernoulli({Probability:G4})");

    /// <inheritdoc />
    public override double Mean => Probability;

    /// <inheritdoc />
    public override double StandardDeviation => Math.Sqrt(Probability * (1 - Probability));

    /// <inheritdoc />
    public override double Sample(Random random) => random.NextDouble() < Probability ? 1.0 : 0.0;

    /// <inheritdoc />
    public override SimulatedDistribution ShiftedBy(double meanShift)
    {
        var shifted = Probability + meanShift;
        if (!(shifted >= 0 && shifted <= 1))
            throw new ArgumentOutOfRangeException(nameof(meanShift), meanShift, Format($"bernoulli({Probability:G4}) shifted by {meanShift:G4} is not a probability"));
        return new BernoulliSamples(shifted);
    }
}
