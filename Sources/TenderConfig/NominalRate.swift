import Foundation

/// The arrival rate against which a live specialist measures `stormIntensity`, from the
/// command line: a number of incidents per second, or a scenario file whose mean arrival rate
/// (every stream, as `Scenario.nominalRate`) is taken. The simulator measures intensity against
/// its scenario's rate, so a live specialist given the same scenario (and `--time-scale 1`)
/// hands a learned policy exactly the `stormIntensity` it was trained with.
public enum NominalRate {
    /// Incidents per second; throws a readable error for a negative or non-numeric rate, or
    /// the scenario loader's file:line errors for a bad scenario.
    public static func parse(_ argument: String) throws -> Double {
        if let rate = Double(argument) {
            guard rate.isFinite, rate >= 0 else {
                throw NominalRateError("`\(argument)` must be a rate of at least 0 incidents per second (0 keeps storm intensity at 1)")
            }
            return rate
        }
        guard argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") else {
            throw NominalRateError("`\(argument)` is neither a number of incidents per second nor a scenario file (.yaml)")
        }
        return try ScenarioLoader.load(path: argument).nominalRate
    }
}

/// A nominal rate argument that is not a rate.
public struct NominalRateError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
