namespace Tollgate.Release.Analysis.Simulation;

/// <summary>How much to simulate.</summary>
/// <param name="Streams">Independent canary analyses per scenario.</param>
/// <param name="Looks">Looks per analysis (K).</param>
/// <param name="PerLook">New samples per side before each look (m): look k has k·m per side.</param>
/// <param name="Seed">Seed of every stream's generator: the same seed gives the same figures.</param>
public sealed record SimulationSettings(int Streams, int Looks, int PerLook, int Seed)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> on a non-positive size.</summary>
    public void Validate()
    {
        if (Streams < 1) throw new ArgumentOutOfRangeException(nameof(Streams), Streams, "simulation: streams must be ≥ 1");
        if (Looks < 1) throw new ArgumentOutOfRangeException(nameof(Looks), Looks, "simulation: looks must be ≥ 1");
        if (PerLook < 1) throw new ArgumentOutOfRangeException(nameof(PerLook), PerLook, "simulation: samples per look must be ≥ 1");
    }
}
