import Testing

@testable import Service

/// When the daemon pings systemd's watchdog: while its loop handles events or waits on a round, and never
/// once a round has run longer than any round can (systemd then restarts it).
@Suite struct DaemonInfoTests {
    let recent = Duration.seconds(2)
    let longest = Duration.seconds(15 * 60)

    @Test func aLoopThatHandledSomethingLatelyIsAlive() {
        let info = DaemonInfo()
        info.beat()
        #expect(info.isAlive(within: recent, longestRound: longest))
        info.update { $0.lastBeat = .now - .seconds(10) }
        #expect(!info.isAlive(within: recent, longestRound: longest), "no event, no round: wedged")
    }

    @Test func aLoopWaitingOnAYoungRoundIsAlive() {
        let info = DaemonInfo()
        info.update {
            $0.lastBeat = .now - .seconds(60)
            $0.roundClock = .now - .seconds(60)
        }
        #expect(info.isAlive(within: recent, longestRound: longest))
    }

    @Test func aStuckRoundStopsThePingsEvenWhileTheLoopGoesOn() {
        let info = DaemonInfo()
        info.update { $0.roundClock = .now - .seconds(16 * 60) }
        info.beat()
        #expect(!info.isAlive(within: recent, longestRound: longest))
    }
}
