import Foundation
import TenderService
import TenderUV

/// The live progress line of `tender up`, redrawn in place on a terminal and silent when stderr
/// is not one.
final class ProgressLine {
    private let timer: LoopTimer
    private unowned let coordinator: Coordinator
    private unowned let feeder: StormFeeder
    private let specialists: Int
    private let started = EventLoop.monotonicSeconds()
    private let timeScale: Double
    private let isTerminal = isatty(STDERR_FILENO) != 0
    var feederStarted = false

    init(loop: EventLoop, coordinator: Coordinator, feeder: StormFeeder, specialists: Int, timeScale: Double) throws {
        self.coordinator = coordinator
        self.feeder = feeder
        self.specialists = specialists
        self.timeScale = timeScale
        timer = try LoopTimer(loop: loop)
        timer.unref()
        guard isTerminal else { return }
        timer.start(afterMilliseconds: 250, repeatMilliseconds: 250) { [unowned self] in self.draw() }
    }

    private func draw() {
        let stats = coordinator.stats
        let elapsed = EventLoop.monotonicSeconds() - started
        let scenario = timeScale > 0 ? elapsed / timeScale : 0
        let phase = !feederStarted ? "waiting for specialists" : feeder.finished ? "settling" : "storm"
        let line = String(
            format: "\r\u{1B}[2K%@ %5.0fs (scenario %6.0fs)  specialists %d/%d  submitted %d  resolved %d  open %d  backlog %d  re-auctions %d  escalated %d",
            phase, elapsed, scenario, coordinator.connectedSpecialists, specialists, stats.submitted, stats.resolved,
            coordinator.openIncidents, coordinator.backlogLength, stats.reauctions, stats.escalated
        )
        FileHandle.standardError.write(Data(line.utf8))
    }

    func close() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        timer.close()
    }
}
