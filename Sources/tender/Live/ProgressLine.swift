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
    private let isTerminal = Terminal.isInteractive
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
        Terminal.writeLine(
            "\(phase) \(Self.duration(elapsed)) (scenario \(Self.duration(scenario)))  specialists \(coordinator.connectedSpecialists)/\(specialists)"
                + "  submitted \(stats.submitted)  resolved \(stats.resolved)  open \(coordinator.openIncidents)"
                + "  backlog \(coordinator.backlogLength)  re-auctions \(stats.reauctions)  escalated \(stats.escalated)"
        )
    }

    /// 42s, 7m05s, 3h12m: short enough that the line fits a terminal.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, total % 3600 / 60)
    }

    func close() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        timer.close()
    }
}
