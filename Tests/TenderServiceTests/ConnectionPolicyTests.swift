import Testing
@testable import TenderService

/// Defect 2 of issue 8: 400 silent intake sockets against a 256-descriptor coordinator locked
/// out specialists and intake alike, and nothing was logged. The policy, without sockets.
@Suite struct ConnectionLimitsTests {
    @Test func intakeIsFittedBelowTheDescriptorLimitWithRoomForSpecialists() {
        let limits = ConnectionLimits().fitted(toDescriptorLimit: 256)
        // 256 descriptors: 32 for the process, 128 kept for specialists, 96 for intake.
        #expect(limits.maxIntakeConnections == 96)
        #expect(limits.maxSpecialistConnections == 224)
        // The 400 silent sockets of the report: intake refuses past 96, so specialists still fit.
        var open = 0
        for _ in 0..<400 where limits.admit(.intake, open: open) == .accept { open += 1 }
        #expect(open == 96)
        #expect(limits.admit(.specialist, open: 0) == .accept)
        #expect(open + limits.specialistReserve + limits.processBaseline <= 256)
    }

    @Test func aGenerousDescriptorLimitKeepsTheConfiguredLimits() {
        let limits = ConnectionLimits().fitted(toDescriptorLimit: 1 << 20)
        #expect(limits == ConnectionLimits())
    }

    @Test func aTinyDescriptorLimitStillAdmitsOneIntakeConnection() {
        #expect(ConnectionLimits().fitted(toDescriptorLimit: 40).maxIntakeConnections == 1)
    }

    @Test func specialistsAreLimitedInTotalAndInTheHandshake() {
        var limits = ConnectionLimits()
        limits.maxSpecialistConnections = 10
        limits.maxHandshaking = 2
        #expect(limits.admit(.specialist, open: 5, handshaking: 1) == .accept)
        #expect(limits.admit(.specialist, open: 5, handshaking: 2) == .refuse("too many connections in the handshake (limit 2)"))
        #expect(limits.admit(.specialist, open: 10, handshaking: 0) == .refuse("too many specialist connections (limit 10)"))
    }

    @Test func onlyASilentIntakeConnectionOwedNothingIsIdle() {
        var limits = ConnectionLimits()
        limits.intakeIdleTimeout = 60
        #expect(!limits.intakeIsIdle(lastActivity: 0, now: 59.9, watching: false, awaitingReplies: 0))
        #expect(limits.intakeIsIdle(lastActivity: 0, now: 60, watching: false, awaitingReplies: 0))
        #expect(!limits.intakeIsIdle(lastActivity: 0, now: 600, watching: true, awaitingReplies: 0), "a watcher waits for conclusions")
        #expect(!limits.intakeIsIdle(lastActivity: 0, now: 600, watching: false, awaitingReplies: 1), "owed a reply: the wait is ours")
        limits.intakeIdleTimeout = 0
        #expect(!limits.intakeIsIdle(lastActivity: 0, now: 1e9, watching: false, awaitingReplies: 0), "0 turns the timeout off")
    }
}

@Suite struct RateLimitedNoticeTests {
    @Test func logsTheFirstThenOncePerIntervalWithTheCountInBetween() {
        var notice = RateLimitedNotice(interval: 10)
        #expect(notice.occurred(at: 0) == 0)
        #expect(notice.occurred(at: 1) == nil)
        #expect(notice.occurred(at: 9.9) == nil)
        #expect(notice.occurred(at: 10) == 2)
        #expect(notice.occurred(at: 25) == 0)
    }
}

/// Defect 6 of issue 8: an error reply could overtake an acknowledgement waiting for the disk.
@Suite struct ReplySequencerTests {
    @Test func repliesLeaveInLineOrderWhateverOrderTheyAreReady() {
        var replies = ReplySequencer()
        let first = replies.receive(), second = replies.receive(), third = replies.receive()
        #expect([first, second, third] == [1, 2, 3])
        // Line 2 is a parse error, ready at once; line 1 still waits for the store.
        #expect(replies.reply("error-2", to: second) == [])
        #expect(replies.reply(nil, to: third) == [], "a blank line holds its place but sends nothing")
        #expect(replies.awaiting == 3)
        #expect(replies.reply("ack-1", to: first) == ["ack-1", "error-2"])
        #expect(replies.awaiting == 0)
    }

    @Test func aSecondReplyToTheSameLineOrToAnUnknownLineIsIgnored() {
        var replies = ReplySequencer()
        let line = replies.receive()
        #expect(replies.reply("a", to: line) == ["a"])
        #expect(replies.reply("b", to: line) == [])
        #expect(replies.reply("c", to: 7) == [])
    }
}
