import Foundation
import KohtaamoBase
import KohtaamoRealtime
import Logging

/// The rules of calls: who may start, join, moderate; the call's record in
/// its conversation ("Call, 12 min"); TURN credentials and meeting tokens.
/// The media never pass through here: browsers send them to each other
/// (through TURN when they must), and signal over the socket.
package struct CallService: Sendable {
    let calls: any CallRepository
    let realtime: Realtime
    let rooms: any RoomModerators
    package let turn: TurnSettings?
    package let meeting: MeetingSettings?
    let clock: AppClock
    let logger = Logger(label: "kohtaamo.calls")
    /// Starting calls, per person: five at once, then one every 20 seconds.
    /// Each call that ends leaves a line in the conversation, so a flood of
    /// calls would be a flood of lines.
    let starts = RateLimiter<Identity>(rate: 1.0 / 20, burst: 5)

    /// People in one peer-to-peer call: each sends its media to every other,
    /// so six is what a phone's upload and CPU bear; bigger meetings go to the meeting server.
    package static let peerLimit = 6

    package init(
        calls: any CallRepository, realtime: Realtime, rooms: any RoomModerators, turn: TurnSettings?, meeting: MeetingSettings?, clock: AppClock
    ) {
        (self.calls, self.realtime, self.rooms, self.turn, self.meeting, self.clock) = (calls, realtime, rooms, turn, meeting, clock)
    }

    /// Who asks: every request and frame names a person, staff with their sign-in.
    package struct Caller: Sendable {
        package var identity: Identity
        package var staff: StaffPrincipal?
        package init(identity: Identity, staff: StaffPrincipal?) { (self.identity, self.staff) = (identity, staff) }
    }

    package enum Refusal: Error, Equatable {
        case notParticipant, notAllowed, callActive, callFull, callEnded, removedFromCall, notModerator, noSuchCall, notConfigured, notInCall
        case tooMany(retryAfterMs: Int)
    }

    /// What the caller may do in a conversation's calls.
    struct Place {
        var participant: Participant
        var kind: CallKind
        var canStart: Bool
        var moderator: Bool
    }

    func place(_ caller: Caller, _ conversation: UUID) async throws -> Place {
        guard let p = try await realtime.participant(caller.identity, in: conversation),
            let kind = try await realtime.kind(conversation: conversation)
        else { throw Refusal.notParticipant }
        let staff = caller.identity.kind == .staff
        switch kind {
        case .group:
            // Members and staff of the room start and join at will; its moderators moderate.
            var moderator = false
            if let s = caller.staff { moderator = try await rooms.moderates(s, room: conversation) ?? false }
            return Place(participant: p, kind: .group, canStart: p.canSend, moderator: moderator)
        case .supportChat:
            // The worker offers a call; the client accepts or declines it.
            return Place(participant: p, kind: .pair, canStart: staff && p.canSend, moderator: staff)
        case .coaching:
            // Coach and coachee know each other: either may call (at an appointment's time, one click).
            return Place(participant: p, kind: .pair, canStart: p.canSend, moderator: staff)
        case .reachout:
            // A planned contact "by a call": the worker calls, the client may call back.
            return Place(participant: p, kind: .pair, canStart: p.canSend, moderator: staff)
        case .coachingGroup:
            // A coaching group calls as a room does; the coaches (staff in the thread) moderate.
            return Place(participant: p, kind: .group, canStart: p.canSend, moderator: staff)
        case .chatNotes:
            throw Refusal.notAllowed
        }
    }

    var nowMs: Int64 { clock.nowMs }

    // MARK: what the page asks

    package struct Person: Encodable, Sendable, Equatable {
        package var identity: String
        package var name: String
        package var role: String
        init(_ p: Participant) { (identity, name, role) = (p.identity.description, p.sender.name, p.sender.role.rawValue) }
        /// Someone no longer in the conversation: known by identity only.
        init(gone identity: Identity) { (self.identity, name, role) = (identity.description, "", Sender.Role.client.rawValue) }
    }

    package struct MemberView: Encodable, Sendable, Equatable {
        package var identity: String
        package var name: String
        package var role: String
        package var hand: Bool
        package var audio: Bool
        package var video: Bool
    }

    package struct CallView: Encodable, Sendable {
        package var id: String
        package var conversation: String
        package var kind: String
        package var media: String
        package var startedAt: String
        package var by: Person?
        package var members: [MemberView]
    }

    package struct Overview: Encodable, Sendable {
        package var call: CallView?
        package var limit: Int
        package var canStart: Bool
        package var moderator: Bool
        package var meeting: Bool

        enum CodingKeys: String, CodingKey { case call, limit, canStart, moderator, meeting }

        /// `"call": null` when none is on: the key is always there.
        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(call, forKey: .call)
            try c.encode(limit, forKey: .limit)
            try c.encode(canStart, forKey: .canStart)
            try c.encode(moderator, forKey: .moderator)
            try c.encode(meeting, forKey: .meeting)
        }
    }

    package func overview(_ caller: Caller, conversation: UUID) async throws -> Overview {
        let place = try await place(caller, conversation)
        var call = try await calls.activeCall(conversation: conversation)
        if let c = call, try await abandoned(c) {
            try await end(c)
            call = nil
        }
        return Overview(
            call: try await call.asyncMap(view), limit: Self.peerLimit, canStart: place.canStart, moderator: place.moderator,
            meeting: meeting != nil && place.kind == .group)
    }

    func view(_ call: Call) async throws -> CallView {
        let people = try await realtime.participants(call.conversation)
        let members = try await calls.members(call: call.id).filter(\.isIn).compactMap { m -> MemberView? in
            guard let p = people.first(where: { $0.identity == m.identity }) else { return nil }
            return MemberView(
                identity: m.identity.description, name: p.sender.name, role: p.sender.role.rawValue, hand: m.hand, audio: m.audio, video: m.video)
        }
        return CallView(
            id: call.id.text(), conversation: call.conversation.text(), kind: call.kind.rawValue, media: call.media.rawValue,
            startedAt: ServerFrame.timestamp(call.startedMs), by: people.first { $0.identity == call.startedBy }.map(Person.init),
            members: members)
    }

    /// The other participants, whom `signal` can address.
    package func peers(_ caller: Caller, conversation: UUID) async throws -> [Person] {
        guard try await realtime.participant(caller.identity, in: conversation) != nil else { throw Refusal.notParticipant }
        return try await realtime.participants(conversation).filter { $0.identity != caller.identity }.map(Person.init)
    }

    // MARK: a call's life

    package func start(_ caller: Caller, conversation: UUID, media: CallMedia) async throws -> CallView {
        let place = try await place(caller, conversation)
        guard place.canStart else { throw Refusal.notAllowed }
        if let wait = starts.take(caller.identity) { throw Refusal.tooMany(retryAfterMs: wait) }
        if let old = try await calls.activeCall(conversation: conversation) {
            guard try await abandoned(old) else { throw Refusal.callActive }
            try await end(old)
        }
        let now = nowMs
        let call = Call(id: UUID(), conversation: conversation, kind: place.kind, media: media, startedBy: caller.identity, startedMs: now)
        let starter = CallMember(identity: caller.identity, joinedMs: now, video: media == .video)
        guard try await calls.start(call, starter: starter) else { throw Refusal.callActive }
        await announce(call, CallEvent(state: "ringing", media: media.rawValue, by: Person(place.participant)))
        return try await view(call)
    }

    package func join(_ caller: Caller, call id: UUID, media: CallMedia?) async throws -> CallView {
        let call = try await onCall(id)
        let place = try await place(caller, call.conversation)
        // A closed support chat takes no one into its call (a room's call goes on outside its hours).
        if call.kind == .pair, !place.participant.canSend { throw Refusal.notAllowed }
        let member = CallMember(identity: caller.identity, joinedMs: nowMs, video: (media ?? call.media) == .video)
        switch try await calls.join(call: call.id, member, limit: Self.peerLimit) {
        case .ended: throw Refusal.callEnded
        case .removed: throw Refusal.removedFromCall
        case .full: throw Refusal.callFull
        case .joined: break
        }
        if call.connectedMs == nil, try await calls.members(call: call.id).filter(\.isIn).count >= 2 {
            try await calls.connected(call: call.id, at: nowMs)
        }
        await announce(call, CallEvent(state: "joined", who: Person(place.participant)))
        return try await view(call)
    }

    /// The callee says no. A call between two that nobody answered ends.
    package func decline(_ caller: Caller, call id: UUID) async throws {
        let call = try await onCall(id)
        let place = try await place(caller, call.conversation)
        await announce(call, CallEvent(state: "declined", who: Person(place.participant)))
        if call.kind == .pair, call.connectedMs == nil { try await end(call) }
    }

    /// Hang up. A call between two ends for both; a room's call when the
    /// last one leaves. Someone taken out of the room meanwhile (banned) may
    /// still hang up: their page says goodbye.
    package func leave(_ caller: Caller, call id: UUID) async throws {
        let call = try await onCall(id)
        let mine = try await calls.members(call: call.id).first { $0.identity == caller.identity }
        // Someone never in it must be in the conversation to be told anything.
        if mine == nil { _ = try await place(caller, call.conversation) }
        try await takeOut(caller.identity, of: call)
    }

    /// The person leaves the call: everyone hears it, and the call ends when it should.
    func takeOut(_ identity: Identity, of call: Call) async throws {
        let members = try await calls.members(call: call.id)
        guard var member = members.first(where: { $0.identity == identity && $0.isIn }) else { return }
        member.leftMs = nowMs
        try await calls.update(call: call.id, member)
        let who = try await realtime.participant(identity, in: call.conversation).map(Person.init) ?? Person(gone: identity)
        await announce(call, CallEvent(state: "left", who: who))
        let others = members.filter { $0.isIn && $0.identity != identity }
        if call.kind == .pair || others.isEmpty { try await end(call) }
    }

    /// Someone is being taken out of the conversation (banned, removed,
    /// their chat handed on): out of its call too, at once, so the others
    /// drop their connection and the place is free.
    package func participantRemoved(_ identity: Identity, from conversation: UUID) async {
        do {
            guard let call = try await calls.activeCall(conversation: conversation) else { return }
            try await takeOut(identity, of: call)
        } catch {
            logger.notice("call not updated after a removal", metadata: ["error": "\(String(describing: error).prefix(120))"])
        }
    }

    package func hand(_ caller: Caller, call id: UUID, raised: Bool) async throws {
        let (call, place, me) = try await member(caller, id)
        var m = me
        m.hand = raised
        try await calls.update(call: call.id, m)
        await announce(call, CallEvent(state: "hand", who: Person(place.participant), raised: raised))
    }

    package func media(_ caller: Caller, call id: UUID, audio: Bool, video: Bool) async throws {
        let (call, place, me) = try await member(caller, id)
        var m = me
        (m.audio, m.video) = (audio, video)
        try await calls.update(call: call.id, m)
        await announce(call, CallEvent(state: "media", who: Person(place.participant), audio: audio, video: video))
    }

    /// Everyone else's microphone off. Peer to peer, the server cannot cut a
    /// stream: each page turns its own microphone off when told, and the
    /// rows say so, so that the moderator sees who has not.
    package func muteAll(_ caller: Caller, call id: UUID) async throws {
        let call = try await onCall(id)
        let place = try await place(caller, call.conversation)
        guard place.moderator else { throw Refusal.notModerator }
        for var m in try await calls.members(call: call.id) where m.isIn && m.identity != caller.identity && m.audio {
            m.audio = false
            try await calls.update(call: call.id, m)
        }
        await announce(call, CallEvent(state: "mute_all", by: Person(place.participant)))
    }

    /// Out of the call, and kept out: their join is refused and so is every
    /// `signal` to or from them in the conversation while the call is on.
    package func remove(_ caller: Caller, call id: UUID, identity: Identity) async throws {
        let call = try await onCall(id)
        let place = try await place(caller, call.conversation)
        guard place.moderator else { throw Refusal.notModerator }
        guard identity != caller.identity, var m = try await calls.members(call: call.id).first(where: { $0.identity == identity }) else {
            throw Refusal.notInCall
        }
        let who = try await realtime.participant(identity, in: call.conversation)
        (m.removed, m.leftMs) = (true, m.leftMs ?? nowMs)
        try await calls.update(call: call.id, m)
        await announce(
            call,
            CallEvent(
                state: "removed",
                who: who.map(Person.init) ?? Person(gone: identity)))
        if try await calls.members(call: call.id).filter(\.isIn).isEmpty { try await end(call) }
    }

    private func onCall(_ id: UUID) async throws -> Call {
        guard let call = try await calls.call(id: id) else { throw Refusal.noSuchCall }
        guard call.isOn else { throw Refusal.callEnded }
        return call
    }

    private func member(_ caller: Caller, _ id: UUID) async throws -> (Call, Place, CallMember) {
        let call = try await onCall(id)
        let place = try await place(caller, call.conversation)
        guard let me = try await calls.members(call: call.id).first(where: { $0.identity == caller.identity && $0.isIn }) else {
            throw Refusal.notInCall
        }
        return (call, place, me)
    }

    /// Everyone in it has gone (closed the page, lost the network for good)
    /// without hanging up: the call is over.
    func abandoned(_ call: Call) async throws -> Bool {
        try await calls.members(call: call.id).filter(\.isIn).allSatisfy { !realtime.isOnline($0.identity) }
    }

    /// Ends the call once, with its record in the conversation. The record's
    /// client id is the call's id, so two nodes ending it at once store one.
    func end(_ call: Call) async throws {
        let now = nowMs
        guard try await calls.end(call: call.id, at: now) else { return }
        var ended = call
        ended.endedMs = now
        do {
            _ = try await realtime.post(
                conversation: call.conversation, clientID: call.id, sender: call.startedBy, from: .system, body: Self.record(ended))
        } catch {
            // A closed or erased conversation keeps no record; the call still ends.
            logger.notice("call record not stored", metadata: ["error": "\(String(describing: error).prefix(120))"])
        }
        await announce(call, CallEvent(state: "ended", minutes: ended.minutes ?? 0))
    }

    /// The record in the conversation: in the three languages at once, since
    /// the people in it may read different ones. Never a recording: there is none.
    static func record(_ call: Call) -> String {
        guard let minutes = call.minutes else { return "Puheluun ei vastattu · Obesvarat samtal · Missed call" }
        return "Puhelu, \(minutes) min · Samtal, \(minutes) min · Call, \(minutes) min"
    }

    // MARK: events

    struct CallEvent: Encodable {
        var call = ""
        var state: String
        var media: String?
        var by: Person?
        var who: Person?
        var raised: Bool?
        var audio: Bool?
        var video: Bool?
        var minutes: Int?
    }

    private func announce(_ call: Call, _ event: CallEvent) async {
        var e = event
        e.call = call.id.text()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let json = try? String(decoding: encoder.encode(e), as: UTF8.self) else { return }
        await realtime.announce(.event(type: "call", conversation: call.conversation, fieldsJSON: json), in: call.conversation)
    }

    // MARK: what a call needs from outside

    package struct IceServer: Encodable, Sendable {
        package var urls: [String]
        package var username: String?
        package var credential: String?
    }

    package struct IceAnswer: Encodable, Sendable {
        package var iceServers: [IceServer]
        package var ttl: Int
        /// False: no TURN server is set, so a call connects only where the two can reach each other directly.
        package var relay: Bool
    }

    package func ice(_ caller: Caller, conversation: UUID) async throws -> IceAnswer {
        _ = try await place(caller, conversation)
        guard let turn else { return IceAnswer(iceServers: [], ttl: 0, relay: false) }
        let (username, credential) = TurnCredentials.make(secret: turn.secret, nowSeconds: Int(nowMs / 1000), ttlSeconds: turn.ttlSeconds)
        return IceAnswer(iceServers: [IceServer(urls: turn.urls, username: username, credential: credential)], ttl: turn.ttlSeconds, relay: true)
    }

    package struct MeetingLink: Encodable, Sendable {
        package var url: String
        package var expiresAt: String
    }

    /// A room's large meeting on the meeting server, with this person's signed token.
    package func meetingLink(_ caller: Caller, conversation: UUID) async throws -> MeetingLink {
        let place = try await place(caller, conversation)
        guard let meeting else { throw Refusal.notConfigured }
        guard place.kind == .group else { throw Refusal.notAllowed }
        let now = Int(nowMs / 1000)
        let room = meeting.room(for: conversation)
        let claims = MeetingToken.claims(
            meeting, room: room, name: place.participant.sender.name, moderator: caller.identity.kind == .staff, nowSeconds: now)
        let token = try MeetingToken.sign(claims, secret: meeting.secret)
        let base = meeting.url.absoluteString.hasSuffix("/") ? String(meeting.url.absoluteString.dropLast()) : meeting.url.absoluteString
        return MeetingLink(url: "\(base)/\(room)?jwt=\(token)", expiresAt: ServerFrame.timestamp(Int64(claims.exp) * 1000))
    }
}

/// The socket's further check on `signal`: someone removed from the call
/// now on in the conversation signals to no one there, and no one to them.
extension CallService: SignalGate {
    package func refusal(from: Identity, to: Identity, conversation: UUID) async throws -> String? {
        try await calls.anyRemoved(conversation: conversation, [from, to]) ? "removed_from_call" : nil
    }
}
