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

    /// Another node's tick, in the lock: it has read the themed settings at
    /// 20.00 and is about to close the room (open since 18.30). The
    /// coordinator switches to peer meanwhile: the change's opening waits for
    /// the tick to commit (the room's row on PostgreSQL, the write gate on
    /// SQLite), then opens the room the tick closed. Without the row's lock
    /// on PostgreSQL the change saw the room open, left it, and the tick closed it.
    @Test func aTickInTheLockIsFollowedByTheCoordinatorsChange() async throws {
        // The held transaction keeps a connection: room for the change's own beside it.
        try await withApp(now: GroupTests.noon.addingTimeInterval(6.5 * 3600), configure: { $0.databasePoolSize = 8 }) { app, client in
            let settings = try await GroupTests.configure(client, app, style: "themed")
            let service = app.groups.service
            #expect(try await service.realtime.isOpen(conversation: settings.conversation) == true)
            app.clock.set(GroupTests.noon.addingTimeInterval(8 * 3600))
            let info = try #require(try await service.services.service(id: settings.service))
            let (decides, hasDecided) = AsyncStream.makeStream(of: Void.self)
            let (resume, resumes) = AsyncStream.makeStream(of: Void.self)
            let tick = Task {
                try await service.repository.applyRoom(service: settings.service) { s in
                    hasDecided.yield()
                    for await _ in resume { break }
                    return GroupService.roomOpen(s, info)
                }
            }
            for await _ in decides { break }
            let change = Task { try await GroupTests.configure(client, app, style: "peer") }
            // The change goes as far as it may: on PostgreSQL it stores the settings, then waits for the room
            // (on SQLite it waits at the write gate, and a read may wait for the tick's connection).
            var waited = 0
            while app.storage.kind == .postgres, try await service.repository.settings(service: settings.service)?.style != .peer, waited < 200 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            try await Task.sleep(for: .milliseconds(300))
            resumes.yield()
            let ticked = try await tick.value
            #expect(ticked?.open == false && ticked?.changed == true, "the tick closed the room on the settings it read")
            #expect(try await change.value.style == .peer)
            #expect(try await service.realtime.isOpen(conversation: settings.conversation) == true, "then the change opened it")
        }
    }
}
