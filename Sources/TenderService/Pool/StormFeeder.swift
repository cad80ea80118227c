import Foundation
import TenderCore
import TenderUV

/// A source of incidents over scenario time: what the storm feeder plays.
///
/// The scenario files in `simulations/` and their storm models belong to the simulator
/// (`TenderSim`); until that lands, `PoissonStorm` stands in behind this protocol.
public protocol IncidentStream {
    /// The next incident and its arrival, in scenario seconds from the start; nil when done.
    mutating func next() -> (at: Double, submission: IncidentSubmission)?
}

/// Poisson arrivals at a base rate, multiplied during one storm window, with categories,
/// severities and entities drawn from fixed mixes. Seeded, so a run replays exactly.
public struct PoissonStorm: IncidentStream {
    public var ratePerSecond: Double
    public var duration: Double
    /// The storm: from `stormStart` to `stormEnd` (fractions of the duration), rate × `stormFactor`.
    public var stormStart = 0.35
    public var stormEnd = 0.65
    public var stormFactor = 3.0
    private var random: SeededGenerator
    private var clock = 0.0
    private var count = 0

    public init(ratePerSecond: Double, duration: Double, seed: UInt64) {
        self.ratePerSecond = ratePerSecond
        self.duration = duration
        random = SeededGenerator(seed: seed)
    }

    public mutating func next() -> (at: Double, submission: IncidentSubmission)? {
        // Thinning: draw at the peak rate, keep each arrival with probability rate(t)/peak.
        let peak = ratePerSecond * max(stormFactor, 1)
        while true {
            clock += -log(1 - random.nextUnit()) / peak
            guard clock < duration else { return nil }
            let inStorm = clock >= stormStart * duration && clock < stormEnd * duration
            let rate = inStorm ? ratePerSecond * stormFactor : ratePerSecond
            if random.nextUnit() < rate / peak { break }
        }
        count += 1
        return (clock, makeIncident())
    }

    private mutating func makeIncident() -> IncidentSubmission {
        let categories: [(IncidentCategory, Double)] = [(.security, 0.3), (.performance, 0.3), (.network, 0.2), (.database, 0.2)]
        let severities: [(Severity, Double)] = [(.critical, 0.1), (.high, 0.3), (.medium, 0.4), (.low, 0.2)]
        let category = pick(categories)
        let severity = pick(severities)
        let services = ["checkout", "search", "auth", "payments", "catalog"]
        let regions = ["eu-west-1", "us-east-1", "ap-south-1"]
        let host = "node-\(random.nextIndex(below: 40))"
        let service = services[random.nextIndex(below: services.count)]
        let entities: [Entity] = [
            .ip("198.51.100.\(random.nextIndex(below: 250) + 1)"), .host(host), .service(service),
            .user("user\(random.nextIndex(below: 500))"), .query("q-\(random.nextIndex(below: 1000))"),
        ]
        return IncidentSubmission(
            category: category, severity: severity, service: service,
            region: regions[random.nextIndex(below: regions.count)], entities: entities, reference: "storm-\(count)"
        )
    }

    private mutating func pick<T>(_ weighted: [(T, Double)]) -> T {
        var draw = random.nextUnit() * weighted.reduce(0) { $0 + $1.1 }
        for (value, weight) in weighted {
            draw -= weight
            if draw < 0 { return value }
        }
        return weighted[weighted.count - 1].0
    }
}

/// Plays an `IncidentStream` into a coordinator's intake in scaled real time: an incident due
/// at scenario second `t` is submitted at `t × timeScale` real seconds after `start()`.
/// Overloaded replies are retried, so the feeder never drops an incident.
public final class StormFeeder {
    private var stream: any IncidentStream
    private unowned let coordinator: Coordinator
    private let timeScale: Double
    private let timer: LoopTimer
    private var startedAt = 0.0
    private var upcoming: (at: Double, submission: IncidentSubmission)?
    private var retry: [IncidentSubmission] = []
    public private(set) var submitted = 0
    public private(set) var finished = false
    public var onFinished: (() -> Void)?

    public init(stream: any IncidentStream, coordinator: Coordinator, loop: EventLoop, timeScale: Double) throws {
        self.stream = stream
        self.coordinator = coordinator
        self.timeScale = timeScale
        timer = try LoopTimer(loop: loop)
    }

    public func start() {
        startedAt = EventLoop.monotonicSeconds()
        upcoming = stream.next()
        tick()
    }

    /// Stop feeding; idempotent, and safe after the storm finished on its own (both paths close
    /// the same timer, which `LoopTimer` makes harmless).
    public func stop() {
        finished = true
        upcoming = nil
        retry.removeAll()
        timer.close()
    }

    private func tick() {
        guard !finished else { return }
        let elapsed = EventLoop.monotonicSeconds() - startedAt
        for submission in retry { send(submission) }
        retry.removeAll()
        while let due = upcoming, due.at * timeScale <= elapsed {
            send(due.submission)
            upcoming = stream.next()
        }
        guard let due = upcoming else {
            if retry.isEmpty {
                finished = true
                timer.close()
                onFinished?()
            } else {
                timer.start(afterMilliseconds: 50) { [unowned self] in self.tick() }
            }
            return
        }
        let wait = retry.isEmpty ? max(0, due.at * timeScale - elapsed) : 0.05
        timer.start(afterMilliseconds: UInt64((wait * 1000).rounded(.up))) { [unowned self] in self.tick() }
    }

    private func send(_ submission: IncidentSubmission) {
        coordinator.submit(submission) { [weak self] reply in
            guard let self else { return }
            switch reply {
            case .accepted: self.submitted += 1
            case .rejected(_, _, let retryable):
                if retryable, !self.coordinator.draining { self.retry.append(submission) }
            }
        }
    }
}
