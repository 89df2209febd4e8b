import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// The wait a client is told (docs/protocol.md §5, `position`): the rule on
/// its own, its error on a simulated queue, and the live frames a waiting
/// client's page receives when workers come, go, take and close.
@Suite struct WaitEstimateTests {
    typealias W = WaitEstimator.Worker
    static let minute: Int64 = 60_000
    /// Fifty chats of 20 minutes each: a service with a steady history.
    static let steady = [Int64](repeating: 20 * minute, count: 50)

    func range(_ e: WaitEstimate) -> (low: Int, middle: Int, high: Int)? {
        if case .minutes(let low, let middle, let high) = e { return (low, middle, high) }
        return nil
    }

    // MARK: the rule

    @Test func nobodyOnShiftIsToldSoWhateverTheHistory() {
        #expect(WaitEstimator(workers: [], handlingTimesMs: Self.steady).estimate(position: 1) == .noWorker)
        #expect(WaitEstimator(workers: [], handlingTimesMs: []).estimate(position: 7) == .noWorker)
        #expect(WaitEstimate.noWorker.compatibleMinutes == nil)
        #expect(WaitEstimate.noWorker.frameJSON == #""none""#)
    }

    @Test func aFreePlaceMeansSoonForAsManyAsThereArePlaces() {
        // One worker with 1 of 3 places taken, another with 2 of 4: 2 + 2 free.
        let e = WaitEstimator(workers: [W(active: 1, limit: 3), W(active: 2, limit: 4)], handlingTimesMs: Self.steady)
        #expect(e.freePlaces == 4)
        for p in 1...4 { #expect(e.estimate(position: p) == .soon, "position \(p)") }
        #expect(range(e.estimate(position: 5)) != nil)
        #expect(WaitEstimate.soon.compatibleMinutes == 1)
        #expect(WaitEstimate.soon.frameJSON == #""soon""#)
    }

    @Test func theWorkersOwnLimitCountsNotAFixedThree() {
        // The same two open chats: full for a worker who may take 2, room for one who may take 5.
        #expect(range(WaitEstimator(workers: [W(active: 2, limit: 2)], handlingTimesMs: Self.steady).estimate(position: 1)) != nil)
        #expect(WaitEstimator(workers: [W(active: 2, limit: 5)], handlingTimesMs: Self.steady).estimate(position: 3) == .soon)
        #expect(range(WaitEstimator(workers: [W(active: 2, limit: 5)], handlingTimesMs: Self.steady).estimate(position: 4)) != nil)
    }

    @Test func theRangeGrowsWithThePlacesAhead() throws {
        let e = WaitEstimator(workers: [W(active: 3, limit: 3)], handlingTimesMs: Self.steady)
        let ranges = try (1...12).map { try #require(range(e.estimate(position: $0))) }
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            #expect(a.low <= b.low && a.middle < b.middle && a.high < b.high, "\(a) then \(b)")
        }
        // Three places, 20-minute chats: the queue moves a step every 6⅔ minutes.
        #expect(ranges[0].middle == 7)
        #expect(ranges[11].middle == 80)
        // The range holds its middle, and narrows relative to it as the queue grows.
        #expect(ranges.allSatisfy { $0.low <= $0.middle && $0.middle <= $0.high })
        let relative = ranges.map { Double($0.high - $0.low) / Double($0.middle) }
        #expect(relative.last! < relative.first! / 2)
        #expect(WaitEstimate.minutes(low: 5, middle: 7, high: 10).frameJSON == #"{"low":5,"high":10}"#)
        #expect(WaitEstimate.minutes(low: 5, middle: 7, high: 10).compatibleMinutes == 7)
    }

    @Test func moreWorkersOnShiftShortenTheWait() throws {
        let one = try #require(range(WaitEstimator(workers: [W(active: 3, limit: 3)], handlingTimesMs: Self.steady).estimate(position: 4)))
        let two = try #require(
            range(
                WaitEstimator(
                    workers: [W(active: 3, limit: 3), W(active: 3, limit: 3)],
                    handlingTimesMs: Self.steady
                ).estimate(position: 4)))
        #expect(two.middle < one.middle && two.high < one.high)
        #expect(two.middle * 2 <= one.middle + 1)  // twice the places, half the wait
    }

    @Test func longerChatsLongerWait() throws {
        let workers = [W(active: 3, limit: 3)]
        let short = try #require(range(WaitEstimator(workers: workers, handlingTimesMs: Self.steady).estimate(position: 3)))
        let long = try #require(range(WaitEstimator(workers: workers, handlingTimesMs: Self.steady.map { $0 * 3 }).estimate(position: 3)))
        #expect(long.middle >= 3 * short.middle - 1 && long.high > short.high)
    }

    @Test func withoutHistoryTheWaitIsUnknownNotMadeUp() throws {
        let full = [W(active: 3, limit: 3)]
        #expect(WaitEstimator(workers: full, handlingTimesMs: []).estimate(position: 1) == .unknown)
        #expect(WaitEstimate.unknown.compatibleMinutes == nil)
        #expect(WaitEstimate.unknown.frameJSON == #""unknown""#)
        // What needs no history is still said.
        #expect(WaitEstimator(workers: [W(active: 0, limit: 3)], handlingTimesMs: []).estimate(position: 1) == .soon)
        // One finished chat is enough to say something, widely.
        let first = try #require(range(WaitEstimator(workers: full, handlingTimesMs: [30 * Self.minute]).estimate(position: 1)))
        #expect(first.low == 0 && first.high >= 20)
    }

    @Test func aChatLeftOpenForHoursDoesNotSetThePace() throws {
        let workers = [W(active: 3, limit: 3)]
        let forgotten = Self.steady.dropLast() + [20 * 3600_000]
        let e = try #require(range(WaitEstimator(workers: workers, handlingTimesMs: Array(forgotten)).estimate(position: 1)))
        let plain = try #require(range(WaitEstimator(workers: workers, handlingTimesMs: Self.steady).estimate(position: 1)))
        #expect(e.middle <= plain.middle + 1)
    }

    @Test func neverUnderOneMinute() throws {
        let e = try #require(range(WaitEstimator(workers: [W(active: 3, limit: 3)], handlingTimesMs: [1000, 2000]).estimate(position: 1)))
        #expect(e.low == 0 && e.high == 2)
    }

    /// The status line the page shows, in plain words, in each language.
    @Test func theClientReadsTheEstimateInTheirLanguage() throws {
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Kohtaamo/Resources/locales")
        let localizer = try Localizer(directory: resources)
        let fi = localizer.catalogue(.fi), sv = localizer.catalogue(.sv), en = localizer.catalogue(.en)
        #expect(
            ChatPagesController.waitText(.minutes(low: 5, middle: 7, high: 10), position: 3, fi)
                == "Olet jonossa numero 3. Arvioitu odotus: 5–10 minuuttia.")
        #expect(
            ChatPagesController.waitText(.minutes(low: 0, middle: 2, high: 6), position: 1, fi)
                == "Olet jonossa numero 1. Arvioitu odotus: alle 6 minuuttia.")
        #expect(ChatPagesController.waitText(.soon, position: 2, sv) == "Du är nummer 2 i kön. Snart är det din tur.")
        #expect(ChatPagesController.waitText(.noWorker, position: 4, en) == "You are number 4 in the queue. No worker is on shift right now.")
        #expect(ChatPagesController.waitText(.unknown, position: 4, en) == "You are number 4 in the queue. The wait cannot be estimated yet.")
    }

    // MARK: on a simulated queue

    /// The figure in docs/benchmarks.md, smaller: the range holds most true
    /// waits, and its middle is nearer the truth than the old rule's number.
    @Test func onASimulatedQueueTheRangeHoldsMostWaits() {
        var setup = WaitSimulation.Setup()
        (setup.load, setup.arrivals) = (0.85, 6000)
        let r = WaitSimulation.run(setup)
        #expect(r.arrivals == 6000)
        #expect(r.ranged > 1000 && r.soon > 1000)
        #expect(r.insideShare >= 0.8, "inside \(r.insideShare)")
        #expect(Double(r.soonWithin2) / Double(r.soon) >= 0.9)
        #expect(r.medianErrorMinutes < r.oldMedianErrorMinutes / 2, "\(r.medianErrorMinutes) vs \(r.oldMedianErrorMinutes)")
        // Seeded: the same run gives the same figures.
        #expect(WaitSimulation.run(setup).medianErrorMinutes == r.medianErrorMinutes)
    }

    // MARK: live, over the socket

    /// A waiting client's socket and page follow the shifts: a worker coming
    /// makes it "soon", leaving makes it "no worker on shift".
    @Test func theWaitingClientIsToldWhenAWorkerStartsOrEndsAShift() async throws {
        try await withLiveApp { _, client, port in
            // A chat waits; worker1 is on shift (3 free places).
            let pair = try await ChatPair.open(client, take: false)
            let c = pair.conversation
            let socket = TestSocket(port: port, cookie: pair.clientCookie)
            socket.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await socket.next("synced")
            #expect(try await page(client, c, pair.clientCookie).contains("Pääset pian vuoroon."))

            let ended = try await client.execute(uri: "/api/shifts", method: .delete, headers: [.cookie: pair.workerCookie])
            #expect(ended.status == .noContent)
            let none = try #require(await socket.next("position"))
            #expect(none["c"] as? String == c && none["position"] as? Int == 1)
            #expect(none["estimate"] as? String == "none")
            #expect(none["estimateMinutes"] is NSNull)
            #expect(try await page(client, c, pair.clientCookie).contains("Yksikään työntekijä ei ole juuri nyt paikalla."))

            let started = try await client.execute(
                uri: "/api/shifts", method: .post, headers: [.contentType: "application/json", .cookie: pair.workerCookie],
                body: ByteBuffer(string: #"{"services":["tukichat"]}"#))
            #expect(started.status == .noContent)
            let soon = try #require(await socket.next("position"))
            #expect(soon["estimate"] as? String == "soon")
            #expect(soon["estimateMinutes"] as? Int == 1)
            socket.close()
        }
    }

    /// A worker at their limit: the next client cannot be told a time before
    /// any chat has ended; a close frees the place ("soon"), and once a chat
    /// has ended its length gives the range.
    @Test func closingAChatFreesAPlaceAndTeachesTheRange() async throws {
        try await withLiveApp(now: Date(timeIntervalSince1970: 1_780_000_000)) { app, client, port in
            let first = try await ChatPair.open(client)  // taken by worker1
            let worker1 = try #require(try await app.chat.service.repository.chat(UUID(uuidString: first.conversation)!)?.worker)
            try await app.chat.service.repository.setMaxChats(staff: worker1, 1)
            let second = try await startChat(client)
            let socket = TestSocket(port: port, cookie: second.cookie)
            socket.send(#"{"t":"sync","c":"\#(second.conversation)","after":0}"#)
            _ = await socket.next("synced")
            #expect(try await page(client, second.conversation, second.cookie).contains("Odotusaikaa ei voi vielä arvioida."))

            // The first chat lasts 30 minutes.
            app.clock.advance(by: 30 * 60)
            let closed = try await client.execute(
                uri: "/api/support/chats/\(first.conversation)/close", method: .post,
                headers: [.contentType: "application/json", .cookie: first.workerCookie],
                body: ByteBuffer(string: #"{"topics":[]}"#))
            #expect(closed.status == .noContent)
            let freed = try #require(await socket.next("position"))
            #expect(freed["estimate"] as? String == "soon")

            // The worker takes it; a third client waits behind a 30-minute history.
            let taken = try await client.execute(
                uri: "/api/support/chats/\(second.conversation)/take", method: .post, headers: [.cookie: first.workerCookie])
            #expect(taken.status == .ok)
            let third = try await startChat(client)
            let text = try await page(client, third.conversation, third.cookie)
            // One 30-minute chat: expected 30, widely (1.28 × √2 either side).
            #expect(text.contains("Arvioitu odotus: alle 85 minuuttia."))
            socket.close()
        }
    }

    func startChat(_ client: any TestClientProtocol) async throws -> (conversation: String, cookie: String) {
        let r = try await client.execute(
            uri: "/api/support/tukichat/chats", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: "{}"))
        #expect(r.status == .created)
        let object = try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any]
        return (object["conversation"] as! String, cookie(r, "k_client"))
    }

    /// The chat page as its client sees it (Finnish, the default).
    func page(_ client: any TestClientProtocol, _ c: String, _ cookie: String) async throws -> String {
        let r = try await client.execute(uri: "/chat/\(c)", method: .get, headers: [.cookie: cookie])
        #expect(r.status == .ok)
        return r.text
    }
}
