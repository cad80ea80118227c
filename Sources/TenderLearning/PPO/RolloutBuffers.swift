import TenderCore

/// The trainer's storage for one rollout (`steps × environments` rows) and one minibatch,
/// allocated once for the whole run.
final class RolloutBuffers {
    let size: Int
    let observationSize: Int
    let actionCount: Int
    let observations: UnsafeMutablePointer<Double>
    let masks: UnsafeMutablePointer<Bool>
    let actions: UnsafeMutablePointer<Int32>
    let logProbabilities: UnsafeMutablePointer<Double>
    let rewards: UnsafeMutablePointer<Double>
    let dones: UnsafeMutablePointer<Double>
    let values: UnsafeMutablePointer<Double>
    let advantages: UnsafeMutablePointer<Double>
    let returns: UnsafeMutablePointer<Double>
    let nextObservation: UnsafeMutablePointer<Double>
    let nextDone: UnsafeMutablePointer<Double>
    let scratchObservations: UnsafeMutablePointer<Double>
    let scratchLogProbabilities: UnsafeMutablePointer<Double>
    var order: [Int]
    var environmentRandom: [SeededGenerator] = []
    // One minibatch, gathered contiguously.
    let batchObservations: UnsafeMutablePointer<Double>
    let batchMasks: UnsafeMutablePointer<Bool>
    let batchActions: UnsafeMutablePointer<Int32>
    let batchLogProbabilities: UnsafeMutablePointer<Double>
    let batchAdvantages: UnsafeMutablePointer<Double>
    let batchReturns: UnsafeMutablePointer<Double>
    let batchValues: UnsafeMutablePointer<Double>

    init(config: PPOConfig, observationSize o: Int, actionCount a: Int) {
        size = config.batchSize
        observationSize = o
        actionCount = a
        let n = config.environments
        let mb = config.minibatchSize
        observations = .allocate(capacity: size * o)
        masks = .allocate(capacity: size * a)
        actions = .allocate(capacity: size)
        logProbabilities = .allocate(capacity: size)
        rewards = .allocate(capacity: size)
        dones = .allocate(capacity: size)
        values = .allocate(capacity: size)
        advantages = .allocate(capacity: size)
        returns = .allocate(capacity: size)
        nextObservation = .allocate(capacity: n * o)
        nextDone = .allocate(capacity: n)
        nextDone.initialize(repeating: 0, count: n)
        scratchObservations = .allocate(capacity: n * o)
        scratchLogProbabilities = .allocate(capacity: a)
        order = Array(0..<size)
        batchObservations = .allocate(capacity: mb * o)
        batchMasks = .allocate(capacity: mb * a)
        batchActions = .allocate(capacity: mb)
        batchLogProbabilities = .allocate(capacity: mb)
        batchAdvantages = .allocate(capacity: mb)
        batchReturns = .allocate(capacity: mb)
        batchValues = .allocate(capacity: mb)
    }

    deinit {
        for buffer in [observations, logProbabilities, rewards, dones, values, advantages, returns, nextObservation, nextDone,
                       scratchObservations, scratchLogProbabilities, batchObservations, batchLogProbabilities, batchAdvantages,
                       batchReturns, batchValues] { buffer.deallocate() }
        masks.deallocate()
        batchMasks.deallocate()
        actions.deallocate()
        batchActions.deallocate()
    }

    /// Copies rows `order[start..<start + count]` into the minibatch buffers.
    func gather(start: Int, count: Int) -> Minibatch {
        let o = observationSize, a = actionCount
        order.withUnsafeBufferPointer { order in
            for k in 0..<count {
                let row = order[start + k]
                (batchObservations + k * o).update(from: observations + row * o, count: o)
                (batchMasks + k * a).update(from: masks + row * a, count: a)
                batchActions[k] = actions[row]
                batchLogProbabilities[k] = logProbabilities[row]
                batchAdvantages[k] = advantages[row]
                batchReturns[k] = returns[row]
                batchValues[k] = values[row]
            }
        }
        return Minibatch(
            size: count, observations: batchObservations, masks: batchMasks, actions: batchActions,
            oldLogProbabilities: batchLogProbabilities, advantages: batchAdvantages, returns: batchReturns, oldValues: batchValues
        )
    }
}
