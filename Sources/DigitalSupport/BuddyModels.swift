import Foundation
import KohtaamoBase

/// Digital buddies: a volunteer (or a worker) takes the network's buddy
/// course (modules of text and links, each with a short quiz); once every
/// module is passed the course is completed, and the organisation may then
/// assign registered clients to them.
package enum Buddies {
    package static let modules = 0...20
    package static let maxTitle = 120
    package static let maxText = 8000
    package static let links = 0...10
    package static let maxURL = 300
    package static let questions = 1...5
    package static let options = 2...4
    package static let maxQuestion = 300
    package static let maxOption = 200
    /// A nickname is at most this long (as reach-out reads it).
    package static let maxNickname = 60
}

/// A link of a module: what it says and where it goes (https only).
package struct BuddyLink: Sendable, Equatable, Codable {
    package var title: String
    package var url: String
    package init(title: String, url: String) { (self.title, self.url) = (title, url) }
}

/// A quiz question: 2–4 options, `right` is the index of the right one.
package struct BuddyQuestion: Sendable, Equatable, Codable {
    package var text: String
    package var options: [String]
    package var right: Int
    package init(text: String, options: [String], right: Int) { (self.text, self.options, self.right) = (text, options, right) }
}

/// One module of a network's buddy course. `version` rises when what it
/// says or asks changes, so someone who passed an older one can be told.
package struct BuddyModule: Sendable, Equatable {
    package var id: UUID
    package var network: UUID
    package var position: Int
    package var title: String
    /// Plain text; an empty line starts a new paragraph.
    package var text: String
    package var links: [BuddyLink]
    package var quiz: [BuddyQuestion]
    package var version: Int
    package var updatedMs: Int64

    package init(
        id: UUID = UUID(), network: UUID, position: Int, title: String, text: String, links: [BuddyLink], quiz: [BuddyQuestion],
        version: Int = 1, updatedMs: Int64
    ) {
        (self.id, self.network, self.position, self.title, self.text) = (id, network, position, title, text)
        (self.links, self.quiz, self.version, self.updatedMs) = (links, quiz, version, updatedMs)
    }

    /// The text's paragraphs (split at empty lines), for the page.
    package var paragraphs: [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}

/// A person's way through one module: how many tries (no answers are
/// kept) and when they passed it, and which version they passed.
package struct BuddyProgress: Sendable, Equatable {
    package var staff: UUID
    package var module: UUID
    package var attempts: Int
    package var lastAttemptMs: Int64
    package var doneMs: Int64?
    package var doneVersion: Int?
}

/// A completed course: the buddy right. It stays when the course changes
/// later (see `BuddyService.saveCourse`).
package struct BuddyTraining: Sendable, Equatable {
    package var staff: UUID
    package var network: UUID
    package var completedMs: Int64
}

/// A registered client assigned to a buddy of the same organisation.
package struct BuddyAssignment: Sendable, Equatable {
    package var id: UUID
    package var organisation: UUID
    package var buddy: UUID
    package var member: UUID
    package var assignedBy: UUID
    package var createdMs: Int64

    package init(id: UUID = UUID(), organisation: UUID, buddy: UUID, member: UUID, assignedBy: UUID, createdMs: Int64) {
        (self.id, self.organisation, self.buddy, self.member, self.assignedBy, self.createdMs) = (
            id, organisation, buddy, member, assignedBy, createdMs
        )
    }
}
