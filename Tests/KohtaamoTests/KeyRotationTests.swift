import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import SQLKit
import Testing
@testable import Kohtaamo

/// `rotate-key` under load: every data key ends under the new master key,
/// a running server keeps reading and writing through it, and every acked
/// message opens afterwards with the new key alone.
@Suite struct KeyRotationTests {
    @Test func rotationUnderLoadLosesNothing() async throws {
        try await withApp { app, _ in
            let client = Identity.client(UUID())
            let from = Sender(name: "A", role: "client")
            let conversation: @Sendable () async throws -> UUID = {
                try await app.realtime.createConversation(kind: "test", participants: [Participant(identity: client, sender: from, canSend: true)])
            }
            var conversations: [UUID] = []
            for _ in 0..<5 { conversations.append(try await conversation()) }
            let service = try await app.network.repository.service(slug: "tukichat")!.id
            let acked = NIOLockedValueBox<[UUID: [String]]>([:])
            let stop = NIOLockedValueBox(false)
            let made = NIOLockedValueBox(0)
            // The load: messages into the conversations and new conversations, until told to stop.
            let initial = conversations
            let load = Task {
                var n = 0
                var list = initial
                while !stop.withLockedValue({ $0 }) {
                    n += 1
                    if n % 10 == 0 {
                        list.append(try await conversation())
                        made.withLockedValue { $0 += 1 }
                    }
                    let c = list[n % list.count]
                    _ = try await app.realtime.post(conversation: c, clientID: UUID(), sender: client, from: from, body: "viesti \(n)")
                    acked.withLockedValue { $0[c, default: []].append("viesti \(n)") }
                }
                return list
            }
            let anonymous = try await app.chat.service.repository.createClient(tokenHash: "x", at: 0)
            let (chat, _) = try await app.chat.service.start(serviceSlug: "tukichat", client: anonymous, nickname: nil, language: .fi)
            #expect(try await app.chat.service.repository.saveFeedback(chat, service: service, score: 5, comment: "ennen", at: 0))
            // Waits for the load to make progress (a busy machine may be slow).
            func progress(_ more: Int) async throws {
                let target = made.withLockedValue { $0 } + more
                while made.withLockedValue({ $0 }) < target { try await Task.sleep(for: .milliseconds(20)) }
            }
            try await progress(2)
            let report = try await app.rotateMasterKey(settle: .milliseconds(200))
            // New conversations after the rotation: the running server wraps their keys with the new master key.
            try await progress(2)
            stop.withLockedValue { $0 = true }
            let all = try await load.value
            #expect(report.oldID != report.newID)
            #expect(report.rewrapped["conversation_keys", default: 0] >= 5)
            #expect(report.left == 0)
            #expect(all.count >= conversations.count + 4)

            // Every key is under the new master key; both key files are private.
            let ids = try await app.storage.sql.select().column("master_key_id").from("conversation_keys").all()
                .map { try $0.decode(column: "master_key_id", as: String.self) }
            #expect(Set(ids) == [report.newID])
            let path = app.configuration.masterKeyPath
            for file in [path, report.oldKeyFile] {
                let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
                #expect(mode == 0o600, "\(file)")
            }

            // With the old key gone, a new process opens every acked message.
            try FileManager.default.removeItem(atPath: report.oldKeyFile)
            let again = try await Kohtaamo.open(configuration: app.configuration, bcryptCost: 4)
            for c in all {
                let stored = try await again.realtime.store.messages(conversation: c, after: 0, limit: 10_000).map(\.body)
                #expect(stored == acked.withLockedValue { $0[c] ?? [] })
            }
            #expect(try await again.chat.service.repository.feedback(service: service).map(\.comment) == ["ennen"])
            await again.storage.close()
        }
    }
}
