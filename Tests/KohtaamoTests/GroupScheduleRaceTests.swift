import Foundation
import Testing

@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoRealtime

/// The half-minute schedule tick reads every group's settings, then opens or
/// closes each room. A coordinator who changes a group's style in between
/// must keep the room as the new settings say: the tick's stale decision
/// once closed a room the coordinator had just opened (or opened one just
/// closed), with a "room" frame telling the members so, until the next tick.
/// The tick is held between its read and its apply (`afterScheduleRead`),
/// the change goes through the coordinator's real settings form.
@Suite struct GroupScheduleRaceTests {
    @Test(arguments: [("themed", "peer", true), ("peer", "themed", false)])
    func aTickReadBeforeTheCoordinatorsChangeDoesNotUndoIt(from: String, to: String, open: Bool) async throws {
        try await withLiveApp(now: GroupTests.noon) { app, client, port in
            // Tuesday noon: a themed group (Tuesdays 18–19.30) is closed, a peer group open.
            let settings = try await GroupTests.configure(client, app, style: from)
            let aino = try await GroupTests.member(client, "Aino")
            _ = try await GroupTests.join(aino, "Aino", app)
            let realtime = app.groups.service.realtime
            #expect(try await realtime.isOpen(conversation: settings.conversation) == !open)
            let c = settings.conversation.uuidString.lowercased()
            let a = TestSocket(port: port, cookie: aino.cookieLine)
            a.send(#"{"t":"sync","c":"\#(c)","after":0}"#)
            _ = await a.next("synced")

            let (read, hasRead) = AsyncStream.makeStream(of: Void.self)
            let (resume, resumes) = AsyncStream.makeStream(of: Void.self)
            let group = settings.service
            let tick = Task {
                try await GroupService.$afterScheduleRead.withValue({ service in
                    guard service == group else { return }
                    hasRead.yield()
                    for await _ in resume { break }
                }) { try await app.groups.service.applySchedules() }
            }
            for await _ in read { break }
            // The tick holds the old settings; the coordinator changes the style now.
            _ = try await GroupTests.configure(client, app, style: to)
            #expect(await a.next("room")?["open"] as? Bool == open, "the coordinator's change is told at once")
            resumes.yield()
            try await tick.value

            #expect(try await realtime.isOpen(conversation: settings.conversation) == open, "the room is as the latest settings say")
            // Whatever the tick told comes before the answer to this message.
            a.send(sendFrame(c, "Onko ketään?"))
            var rooms: [Bool] = []
            var answer: String?
            while answer == nil, let frame = await a.next() {
                if frame["t"] as? String == "room" { rooms.append(frame["open"] as? Bool ?? !open) }
                if frame["t"] as? String == "ack" { answer = "ack" }
                if frame["t"] as? String == "error" { answer = frame["code"] as? String }
            }
            #expect(rooms.isEmpty, "no stale room frame after the coordinator's")
            #expect(answer == (open ? "ack" : "closed"))
            a.close()
        }
    }
}
