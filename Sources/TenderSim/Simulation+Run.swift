import Foundation
import TenderConfig
import TenderCore

extension Simulation {
    /// Run the scenario to its end. `progress` is called now and then with the fraction done.
    public consuming func run(progress: ((Double) -> Void)? = nil) -> SimulationResult {
        let started = DispatchTime.now().uptimeNanoseconds
        start()
        let horizon: Double
        if case .duration(let seconds) = scenario.stop { horizon = seconds } else { horizon = .infinity }
        let target = Double(arrivalsLeft == .max ? 0 : arrivalsLeft)
        var untilProgress = 1 << 16
        var overwhelmed = false

        while true {
            if let message = immediate.pop() {
                deliver(message)
                continue
            }
            // Messages in flight go first when due no later than the agenda's next event: at equal
            // times they have the top priority, and they were sent before anything still queued.
            if let next = delayed.first, next.time <= agenda.nextTime ?? .infinity {
                let due = next.time
                if due > horizon {
                    now = horizon
                    break
                }
                _ = delayed.pop()
                now = due
                deliver(next.message)
            } else {
                guard let (time, event) = agenda.pop() else { break }
                if time > horizon {
                    now = horizon
                    break
                }
                if event.isForeground { foreground -= 1 }
                now = time
                dispatch(event)
            }
            untilProgress -= 1
            if untilProgress == 0 {
                untilProgress = 1 << 16
                if ledger.live > options.maxOpenIncidents {
                    overwhelmed = true
                    break
                }
                if let progress {
                    progress(horizon.isFinite ? now / horizon : Double(metrics.arrivals) / max(target, 1))
                }
            }
            // An incident-bounded run ends once every incident concluded, or once nothing left in
            // the agenda can move the stragglers along (their specialists left for good).
            if arrivalsLeft == 0, ledger.live == 0 || (foreground == 0 && immediate.isEmpty && delayed.isEmpty) { break }
        }
        progress?(1)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        var result = finish(wallSeconds: wall)
        if overwhelmed {
            result.stoppedEarly = "more than \(options.maxOpenIncidents) incidents open at once at simulated second \(Int(now)) (\(metrics.arrivals) arrived): the specialists cannot keep up with this storm, and its backlog would grow without bound; lower the arrival rate, add specialists, or raise --max-open"
        }
        return result
    }

    mutating func start() {
        for index in specialists.indices {
            let spec = scenario.specialists[specialists[index].group]
            let id = specialists[index].info.id
            if spec.joinAt <= 0 {
                join(index)
            } else {
                schedule(.pool(id, .join), at: spec.joinAt)
            }
            if let leave = spec.leaveAt { schedule(.pool(id, .leave), at: leave) }
            if let crash = spec.crash {
                schedule(.pool(id, .crash), at: spec.joinAt + Self.exponential(crash.meanTimeBetween, &crashRandom))
            }
        }
        for stream in generators.indices { scheduleNextArrival(stream) }
        if scenario.warmup > 0 { schedule(.warmupEnded, at: scenario.warmup) }
        schedule(.sample, at: 0)
    }

    @inline(__always)
    mutating func deliver(_ message: SimMessage) {
        metrics.events &+= 1
        switch message {
        case .toEngine(let message):
            deliver(message)
        case .toSpecialist(let message):
            deliver(message)
        }
    }

    mutating func dispatch(_ event: SimEvent) {
        metrics.events &+= 1
        switch event {
        case .arrival(let stream):
            let (category, severity) = pendingArrivals[Int(stream)]
            scheduleNextArrival(Int(stream))
            admit(category, severity, depth: 0)
        case .followUp(let category, let severity, let depth):
            admit(category, severity, depth: depth)
        case .timer(let timer):
            drive(.timerFired(timer))
        case .workDone(let ref, let specialist, let outcome):
            workDone(ref, specialist, outcome)
        case .executed(let ref, _, let applied):
            executed(ref, applied: applied)
        case .pool(let id, let change):
            changePool(id.index, change)
        case .sample:
            takeSample()
            // Samples stop with the storm: an incident-bounded run should not idle on them.
            if arrivalsLeft > 0 || ledger.live > 0 { schedule(.sample, at: now + sampleInterval) }
        case .warmupEnded:
            restartMetrics()
        }
    }

    mutating func takeSample() {
        let interval = now - (metrics.series.time.last ?? 0)
        metrics.series.time.append(now)
        for (index, specialist) in specialists.enumerated() {
            metrics.account(index, busy: specialist.busy, capacity: specialist.present ? specialist.info.capacity : 0, now: now)
            let busy = metrics.slots[index].busyTotal - metrics.slots[index].busyAtLastSample
            metrics.slots[index].busyAtLastSample = metrics.slots[index].busyTotal
            let slotSeconds = Double(specialist.info.capacity) * interval
            metrics.series.load[index].append(slotSeconds > 0 ? busy / slotSeconds : 0)
        }
        metrics.series.jain.append(metrics.fairness.snapshot.normalised.jain)
        metrics.series.open.append(engine.openAuctions)
    }

    /// At the end of the warm-up, work done so far no longer counts towards fairness.
    mutating func restartMetrics() {
        metrics.fairness = FairnessTracker(capabilities: specialists.map(\.info.capability))
    }

    static func exponential(_ mean: Double, _ random: inout SeededGenerator) -> Double {
        -mean * log(1 - random.nextUnit())
    }

    mutating func finish(wallSeconds: Double) -> SimulationResult {
        for (index, specialist) in specialists.enumerated() {
            metrics.account(index, busy: specialist.busy, capacity: specialist.present ? specialist.info.capacity : 0, now: now)
        }
        takeSample()
        let names = specialists.map(\.info.name)
        var utilization: [String: Double] = [:]
        var utilizationTotal = 0.0
        for index in specialists.indices {
            let account = metrics.slots[index]
            let value = account.capacitySeconds > 0 ? account.busySeconds / account.capacitySeconds : 0
            utilization[names[index]] = value
            utilizationTotal += value
        }
        let (calibration, failureRate) = Self.reputation(engine.trackRecord, names)
        let fairness = metrics.fairness.snapshot.normalised
        let concluded = metrics.resolved + metrics.escalated
        let summary = SimulationSummary(
            scenario: scenario.name, allocator: allocatorName, policy: policyName, seed: seed,
            incidents: metrics.incidents, resolved: metrics.resolved, escalated: metrics.escalated,
            cancelled: metrics.cancelled, open: metrics.incidents - metrics.resolved - metrics.escalated - metrics.cancelled,
            meanWaitSeconds: metrics.awarded > 0 ? metrics.waitSum / Double(metrics.awarded) : 0,
            meanTTRSeconds: metrics.resolved > 0 ? metrics.ttrSum / Double(metrics.resolved) : 0,
            p50TTRSeconds: metrics.ttrPercentile(50), p95TTRSeconds: metrics.ttrPercentile(95), p99TTRSeconds: metrics.ttrPercentile(99),
            slaBreachRate: concluded > 0 ? Double(metrics.slaBreaches) / Double(concluded) : 0,
            slaBreachRateBySeverity: metrics.breachRateBySeverity,
            ttrLowerBoundSeconds: metrics.boundCount > 0 ? metrics.boundSum / Double(metrics.boundCount) : 0,
            jainIndex: fairness.jain, gini: fairness.gini,
            utilization: utilization, meanUtilization: specialists.isEmpty ? 0 : utilizationTotal / Double(specialists.count),
            calibration: calibration, failureRate: failureRate,
            messagesPerIncident: metrics.incidents > 0 ? Double(metrics.messages) / Double(metrics.incidents) : 0,
            messages: metrics.messages, rollbacks: metrics.rollbacks, retries: metrics.retries,
            simulatedSeconds: now, wallSeconds: wallSeconds,
            simIncidentsPerSecond: wallSeconds > 0 ? Double(metrics.arrivals) / wallSeconds : 0,
            events: metrics.events
        )
        let categories = IncidentCategory.allCases.count
        let allocation = specialists.indices.map { index in
            (0..<categories).map { metrics.allocation[index * categories + $0] }
        }
        var result = SimulationResult(
            summary: summary, ttrDistribution: options.ttrDistribution ? ttrDistribution() : [], series: metrics.series,
            specialistNames: names, allocation: allocation
        )
        result.fairnessValues = zip(metrics.fairness.work, metrics.fairness.capabilities).map { $0 / $1 }
        return result
    }

    /// Each specialist's calibration and failure rate over all categories, each category's moving
    /// average weighted by its observations; nil for a specialist with none. Read once, at the end.
    static func reputation(_ record: TrackRecord, _ names: [String]) -> (calibration: [String: Double?], failureRate: [String: Double?]) {
        var calibration: [String: Double?] = [:]
        var failureRate: [String: Double?] = [:]
        for name in names {
            let entries = record.specialists[name] ?? []
            let observations = entries.reduce(0) { $0 + $1.observations }
            guard observations > 0 else {
                calibration[name] = .some(nil)
                failureRate[name] = .some(nil)
                continue
            }
            let weight = 1 / Double(observations)
            calibration[name] = entries.reduce(0) { $0 + Double($1.observations) * $1.calibration } * weight
            failureRate[name] = entries.reduce(0) { $0 + Double($1.observations) * $1.failureRate } * weight
        }
        return (calibration, failureRate)
    }

    /// The time-to-resolve CDF at a fixed ladder of percentiles, for plotting.
    func ttrDistribution() -> [(seconds: Double, percentile: Double)] {
        guard metrics.ttr.totalCount > 0 else { return [] }
        let ladder: [Double] = [0, 1, 2, 5] + stride(from: 10.0, through: 90, by: 5) + [92.5, 95, 97.5, 99, 99.5, 99.9, 100]
        return ladder.map { (metrics.ttrPercentile($0), $0) }
    }
}
