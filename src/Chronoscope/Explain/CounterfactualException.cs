namespace Chronoscope.Explain;

/// <summary>A counterfactual that cannot be asked for: a target equal to the prediction, a class the model does not have.</summary>
public sealed class CounterfactualException(string message) : ChronoscopeException(message);
