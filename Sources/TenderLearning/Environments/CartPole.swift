import Foundation
import TenderCore

/// CartPole-v1 with Gymnasium's exact dynamics (explicit Euler, force ±10 N, pole half-length
/// 0.5 m, failure past ±12° or ±2.4 m), reward 1 per step, truncated at 500 steps. The standard
/// first proof that a policy-gradient trainer works: PPO should reach a mean return ≥ 475.
public struct CartPole: Environment {
    public static let gravity = 9.8
    public static let massCart = 1.0
    public static let massPole = 0.1
    public static let totalMass = massCart + massPole
    public static let length = 0.5
    public static let poleMassLength = massPole * length
    public static let forceMagnitude = 10.0
    public static let tau = 0.02
    public static let thetaThreshold = 12 * 2 * Double.pi / 360
    public static let xThreshold = 2.4
    public static let maxSteps = 500

    public var x = 0.0, xDot = 0.0, theta = 0.0, thetaDot = 0.0
    public var steps = 0

    public init() {}

    public var observationSize: Int { 4 }
    public var actionCount: Int { 2 }

    public mutating func reset(random: inout SeededGenerator, observation: UnsafeMutablePointer<Double>) {
        // Uniform in [−0.05, 0.05) for each state variable, as Gymnasium.
        x = random.nextUnit() * 0.1 - 0.05
        xDot = random.nextUnit() * 0.1 - 0.05
        theta = random.nextUnit() * 0.1 - 0.05
        thetaDot = random.nextUnit() * 0.1 - 0.05
        steps = 0
        write(observation)
    }

    public mutating func step(_ action: Int, observation: UnsafeMutablePointer<Double>) -> StepResult {
        let force = action == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(theta)
        let sinTheta = sin(theta)
        let temp = (force + Self.poleMassLength * thetaDot * thetaDot * sinTheta) / Self.totalMass
        let thetaAcc = (Self.gravity * sinTheta - cosTheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.massPole * cosTheta * cosTheta / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * cosTheta / Self.totalMass
        // Gymnasium's default "euler" integrator: positions from the old velocities.
        x += Self.tau * xDot
        xDot += Self.tau * xAcc
        theta += Self.tau * thetaDot
        thetaDot += Self.tau * thetaAcc
        steps += 1
        write(observation)
        let terminated = x < -Self.xThreshold || x > Self.xThreshold || theta < -Self.thetaThreshold || theta > Self.thetaThreshold
        return StepResult(reward: 1, terminated: terminated, truncated: !terminated && steps >= Self.maxSteps)
    }

    private func write(_ observation: UnsafeMutablePointer<Double>) {
        observation[0] = x
        observation[1] = xDot
        observation[2] = theta
        observation[3] = thetaDot
    }
}
