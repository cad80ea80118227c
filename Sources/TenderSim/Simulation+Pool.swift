import TenderCore

/// Specialists joining, leaving for good, crashing and coming back.
extension Simulation {
    mutating func changePool(_ index: Int, _ change: PoolChange) {
        let spec = scenario.specialists[specialists[index].group]
        switch change {
        case .join, .rejoin:
            join(index)
            if change == .rejoin, let crash = spec.crash, spec.leaveAt.map({ now < $0 }) ?? true {
                schedule(.pool(specialists[index].info.id, .crash), at: now + Self.exponential(crash.meanTimeBetween, &crashRandom))
            }
        case .leave:
            depart(index)
        case .crash:
            guard specialists[index].present else { return }
            depart(index)
            if let crash = spec.crash, spec.leaveAt.map({ now + crash.downtime < $0 }) ?? true {
                schedule(.pool(specialists[index].info.id, .rejoin), at: now + crash.downtime)
            }
        }
    }

    mutating func join(_ index: Int) {
        guard !specialists[index].present else { return }
        metrics.account(index, busy: 0, capacity: 0, now: now)
        specialists[index].present = true
        drive(.specialistJoined(specialists[index].info))
    }

    /// Gone: the work in hand is lost (the engine re-auctions it), and it answers nothing more.
    mutating func depart(_ index: Int) {
        guard specialists[index].present else { return }
        while let slot = specialists[index].tasks.last { endTask(slot, index) }
        metrics.account(index, busy: 0, capacity: specialists[index].info.capacity, now: now)
        specialists[index].present = false
        drive(.specialistLeft(specialists[index].info.id))
    }
}
