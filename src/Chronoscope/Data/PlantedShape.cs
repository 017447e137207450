namespace Chronoscope.Data;

/// <summary>The discriminative pattern <see cref="PlantedPatternData"/> plants into a series.</summary>
public enum PlantedShape
{
    /// <summary>A half-sine bump: amplitude · sin(π u) over the window, u from 0 to 1.</summary>
    Bump,

    /// <summary>A plateau: the amplitude over the whole window, a step up at its start and down at its end.</summary>
    Step,

    /// <summary>A sine burst: amplitude · sin(2π · 3u), three full cycles inside the window.</summary>
    SineBurst,
}
