import Crypto
import Foundation
import KohtaamoBase

/// What a worker has at hand in a chat: the service's topic tags (for
/// closing), ready-made replies (the service's and their own, per
/// language) and the service's referral cards.
package struct ChatToolkit: Sendable {
    package let repository: any ChatSettingsRepository
    /// Ready-made replies; the owner is a service or a staff member (personal).
    package let replies: TextCardStore
    package let services: any ServiceDirectory
    package let localizer: Localizer

    /// The list a service starts with until its coordinator changes it.
    static let defaultTopics = ["loneliness", "mental_health", "relationships", "substances", "violence", "money", "other"]

    /// The service's topic list, archived ones included. A service that never
    /// had a list gets the default one (ids derived from the service, so two
    /// first readers at once make one list).
    package func topics(service: UUID) async throws -> [ChatTopic] {
        let list = try await repository.topics(service: service)
        guard list.isEmpty else { return list }
        for (index, key) in Self.defaultTopics.enumerated() {
            let labels = LocalizedText(
                fi: localizer.t("topic_\(key)", .fi), sv: localizer.t("topic_\(key)", .sv), en: localizer.t("topic_\(key)", .en))
            let topic = ChatTopic(id: Self.derivedID(service, key), service: service, labels: labels, archived: false)
            do { try await repository.addTopic(topic, at: Int64(index)) } catch { return try await repository.topics(service: service) }
        }
        return try await repository.topics(service: service)
    }

    static func derivedID(_ service: UUID, _ key: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data((service.uuidString + "/" + key).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // a name-based UUID
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// The topics given at closing, if every one is on the service's list now.
    func checkTopics(_ ids: [String], service: UUID) async throws -> [String]? {
        let current = Set(try await topics(service: service).filter { !$0.archived }.map { $0.id.uuidString.lowercased() })
        let given = ids.map { $0.lowercased() }
        return given.allSatisfy(current.contains) && Set(given).count == given.count ? given : nil
    }

    // MARK: the console's data

    struct Kit: Encodable {
        struct Topic: Encodable { let id: String; let label: String }
        struct Text: Encodable { let kind: String; let language: String; let title: String; let text: String }
        struct Service: Encodable { let name: String; let topics: [Topic]; let texts: [Text] }
        /// By service slug.
        let services: [String: Service]
        /// The worker's own replies, for every service.
        let personal: [Text]
    }

    /// Everything the console offers for these services, as JSON for the page.
    package func kit(services list: [ServiceInfo], staff: UUID, language: Language) async throws -> String {
        func text(_ kind: String) -> (TextCard) -> Kit.Text {
            { Kit.Text(kind: kind, language: $0.language, title: $0.title, text: kind == "referral" ? $0.asMessage : $0.body) }
        }
        var byService: [String: Kit.Service] = [:]
        for s in list {
            let topics = try await topics(service: s.id).filter { !$0.archived }.map {
                Kit.Topic(id: $0.id.uuidString.lowercased(), label: $0.labels.in(language))
            }
            let texts = try await replies.cards(owners: [s.id]).map(text("reply")) + services.referrals(service: s.id).map(text("referral"))
            byService[s.slug] = Kit.Service(name: s.names.in(language), topics: topics, texts: texts)
        }
        let personal = try await replies.cards(owners: [staff]).map(text("personal"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Kit(services: byService, personal: personal)), as: UTF8.self)
    }
}
