import Foundation
import KohtaamoBase

/// The network's material bank: who finds, adds and keeps which material,
/// its files (one sealed-file storage with coaching, `OwnKeySealedFile`) and
/// versions, and the search.
///
/// Rights: every staff member finds their own organisation's material, their
/// network's shared material and every public one. Workers, coordinators and
/// network coordinators add material for their organisation; staff of the
/// material's organisation (not volunteers) and the network's coordinator
/// edit, replace and remove it. Material of another network that is not
/// public is not found, as one that does not exist.
package struct MaterialService: Sendable {
    package let store: SQLMaterialStore
    package let audit: AuditLog
    package let clock: AppClock

    package init(store: SQLMaterialStore, audit: AuditLog, clock: AppClock) {
        (self.store, self.audit, self.clock) = (store, audit, clock)
    }

    /// Files of the bank: PDFs, office documents, text and pictures, up to the default size.
    package static let policy = FilePolicy(maxBytes: FilePolicy.defaultMaxBytes, groups: [.pdf, .office, .text, .image])
    package static let titleLength = 1...200
    package static let descriptionLength = 0...4000

    // MARK: rights

    package static func mayFind(_ p: StaffPrincipal, _ m: Material) -> Bool {
        switch m.visibility {
        case .public: true
        case .network: m.network == p.networkID
        case .organisation: m.organisation == p.organisationID
        }
    }

    package static func mayAdd(_ p: StaffPrincipal) -> Bool { p.role != .volunteer }

    package static func mayKeep(_ p: StaffPrincipal, _ m: Material) -> Bool {
        switch p.role {
        case .networkCoordinator: m.network == p.networkID
        case .coordinator, .worker: m.organisation == p.organisationID
        case .volunteer: false
        }
    }

    /// A material `p` may find; not found otherwise.
    package func material(_ id: UUID, for p: StaffPrincipal) async throws -> Material {
        guard let m = try await store.material(id), Self.mayFind(p, m) else { throw MaterialRefusal.notFound }
        return m
    }

    /// A material written for clients, as a client opens it (no sign-in needed: it is published for them).
    package func clientMaterial(_ id: UUID) async throws -> Material {
        guard let m = try await store.material(id), m.forClients else { throw MaterialRefusal.notFound }
        return m
    }

    // MARK: the search

    /// What `p` finds: every filter holds; with words, only matching
    /// material, best first, each with its passage; without, newest first.
    package func search(_ q: MaterialQuery, for p: StaffPrincipal) async throws -> [MaterialHit] {
        let all = try await store.materials(network: p.networkID).filter { m in
            Self.mayFind(p, m) && (q.theme.map { m.themes.contains($0) } ?? true)
                && (q.audience.map { m.audiences.contains($0) } ?? true) && (q.language.map { m.languages.contains($0) } ?? true)
        }
        let words = MaterialSearch.words(q.words)
        guard !words.isEmpty else { return all.map { MaterialHit(material: $0, rank: 0, snippet: "") } }
        let found = try await store.search(words)
        return all.compactMap { m in found[m.id].map { MaterialHit(material: m, rank: $0.rank, snippet: $0.snippet) } }
            .sorted { ($0.rank, $1.material.title) > ($1.rank, $0.material.title) }
    }

    // MARK: adding and keeping

    /// Checks a draft: the material's fields, or the first refusal.
    package func check(_ d: MaterialDraft, hasFile: Bool) throws -> (Material, String?) {
        let title = d.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validate.length(title, Self.titleLength), Validate.plainLine(title) else { throw MaterialRefusal.badTitle }
        let description = d.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validate.length(description, Self.descriptionLength), Validate.plainText(description) else {
            throw MaterialRefusal.badDescription
        }
        let url = d.url.trimmingCharacters(in: .whitespaces)
        guard hasFile != !url.isEmpty else { throw MaterialRefusal.fileOrLink }
        guard url.isEmpty || Validate.webAddress(url) else { throw MaterialRefusal.badURL }
        let themes = d.themes.map { DigitalTheme(rawValue: $0) }
        guard !themes.contains(nil) else { throw MaterialRefusal.badTheme }
        let audiences = d.audiences.map { MaterialAudience(rawValue: $0) }
        guard !audiences.isEmpty, !audiences.contains(nil) else { throw MaterialRefusal.badAudience }
        let languages = d.languages.map { MaterialLanguage(rawValue: $0) }
        guard !languages.isEmpty, !languages.contains(nil) else { throw MaterialRefusal.badLanguage }
        guard let visibility = MaterialVisibility(rawValue: d.visibility) else { throw MaterialRefusal.badVisibility }
        let m = Material(
            id: UUID(), organisation: UUID(), network: UUID(), title: title, description: description, url: url.isEmpty ? nil : url,
            themes: Self.unique(themes.compactMap { $0 }).sorted { $0.order < $1.order },
            audiences: MaterialAudience.allCases.filter { audiences.contains($0) }, languages: Self.unique(languages.compactMap { $0 }),
            plainLanguage: d.plainLanguage, visibility: visibility, createdBy: UUID(), createdMs: 0, updatedMs: 0, file: nil)
        return (m, url.isEmpty ? nil : url)
    }

    static func unique<T: Equatable>(_ list: [T]) -> [T] { list.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }

    /// Adds material for `p`'s organisation: a link, or a file checked
    /// against the bank's policy.
    package func add(_ d: MaterialDraft, file: (name: String, bytes: Data)?, by p: StaffPrincipal) async throws -> Material {
        guard Self.mayAdd(p) else { throw MaterialRefusal.notAllowed }
        var (m, _) = try check(d, hasFile: file != nil)
        m.organisation = p.organisationID
        m.network = p.networkID
        m.createdBy = p.staffID
        m.createdMs = clock.nowMs
        m.updatedMs = m.createdMs
        var newFile: SQLMaterialStore.NewFile?
        var content = ""
        if let file {
            let made = try sealed(file, material: m.id, number: 1, by: p)
            newFile = made.file
            content = made.text
        }
        try await store.insert(m, file: newFile, content: content)
        try await record(p, "material.add", m.id)
        return try await material(m.id, for: p)
    }

    /// Saves new fields (a file stays a file, a link a link).
    package func edit(_ id: UUID, _ d: MaterialDraft, by p: StaffPrincipal) async throws -> Material {
        let old = try await material(id, for: p)
        guard Self.mayKeep(p, old) else { throw MaterialRefusal.notAllowed }
        var (m, _) = try check(d, hasFile: old.isFile)
        (m.id, m.organisation, m.network, m.createdBy, m.createdMs) = (old.id, old.organisation, old.network, old.createdBy, old.createdMs)
        m.updatedMs = clock.nowMs
        try await store.update(m, file: nil, content: nil)
        try await record(p, "material.edit", id)
        return try await material(id, for: p)
    }

    /// A new version of the file; the earlier ones stay (staff download them).
    package func replace(_ id: UUID, file: (name: String, bytes: Data), by p: StaffPrincipal) async throws -> Material {
        var m = try await material(id, for: p)
        guard Self.mayKeep(p, m) else { throw MaterialRefusal.notAllowed }
        guard m.isFile else { throw MaterialRefusal.notAFile }
        let number = (try await store.versions(id).last?.number ?? 0) + 1
        let made = try sealed(file, material: id, number: number, by: p)
        m.updatedMs = clock.nowMs
        try await store.update(m, file: made.file, content: made.text)
        try await record(p, "material.replace", id)
        return try await material(id, for: p)
    }

    package func delete(_ id: UUID, by p: StaffPrincipal) async throws {
        let m = try await material(id, for: p)
        guard Self.mayKeep(p, m) else { throw MaterialRefusal.notAllowed }
        try await store.delete(id)
        try await record(p, "material.delete", id)
    }

    /// The file's versions, oldest first (staff who find the material).
    package func versions(_ id: UUID, for p: StaffPrincipal) async throws -> [MaterialFile] {
        let m = try await material(id, for: p)
        guard m.isFile else { throw MaterialRefusal.notAFile }
        return try await store.versions(id)
    }

    /// A version's bytes (nil version: the current one).
    package func download(_ id: UUID, version: UUID?, for p: StaffPrincipal) async throws -> (MaterialFile, Data) {
        let m = try await material(id, for: p)
        guard let v = version ?? m.file?.id, let found = try await store.content(material: id, file: v) else { throw MaterialRefusal.notFound }
        return found
    }

    /// The current file of client material, as a client downloads it.
    package func clientDownload(_ id: UUID) async throws -> (MaterialFile, Data) {
        let m = try await clientMaterial(id)
        guard let v = m.file?.id, let found = try await store.content(material: id, file: v) else { throw MaterialRefusal.notFound }
        return found
    }

    /// The file checked, sealed under its own key, and its searchable text.
    func sealed(_ file: (name: String, bytes: Data), material: UUID, number: Int, by p: StaffPrincipal) throws -> (
        file: SQLMaterialStore.NewFile, text: String
    ) {
        let kind: FileKind
        switch Self.policy.check(name: file.name, bytes: file.bytes) {
        case .success(let k): kind = k
        case .failure(let r): throw r
        }
        let info = MaterialFile(
            id: UUID(), material: material, number: number, name: file.name, kind: kind, size: file.bytes.count, uploadedBy: p.staffID,
            atMs: clock.nowMs)
        let sealed = try OwnKeySealedFile.seal(name: file.name, kind: kind, bytes: file.bytes, owner: material, file: info.id, sealer: store.sealer)
        return (.init(info: info, sealed: sealed), Self.text(of: file.bytes, kind: kind))
    }

    /// The searchable text of a file: a text file's own, a PDF's shown strings, nothing of others.
    package static func text(of bytes: Data, kind: FileKind) -> String {
        switch kind {
        case .txt: String(decoding: bytes.prefix(PDFText.maxText * 4), as: UTF8.self)
        case .pdf: PDFText.extract(bytes)
        default: ""
        }
    }

    func record(_ p: StaffPrincipal, _ action: String, _ id: UUID) async throws {
        try await audit.record(
            .init(at: clock.now, staffID: p.staffID, staffName: p.workName, organisationID: p.organisationID, action: action, target: id.text()))
    }
}
