import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime

/// Files in conversations: what a file is (read from its bytes), what a
/// place accepts, kept sealed in the database and erased with the
/// conversation, handed back so a browser runs nothing, and the upload
/// bodies read without crashing on anything sent.
@Suite struct FilesTests {
    // MARK: real minimal files, built here

    /// 1×1 pixel images written by Pillow.
    static let png = [UInt8](Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4IacBAALAAQ/aQIG5AAAAAElFTkSuQmCC")!)
    static let gif = [UInt8](Data(base64Encoded: "R0lGODdhAQABAIEAAMgeKAAAAAAAAAAAACwAAAAAAQABAAAIBAABBAQAOw==")!)
    static let webp = [UInt8](Data(base64Encoded: "UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAdQjyIXpf+BiOh/AAA=")!)
    static let jpeg = [UInt8](
        Data(
            base64Encoded:
                "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAABAAEDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDkaKKK8o/Sz//Z"
        )!)
    static func pdf(_ text: String = "Hei") -> [UInt8] {
        Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% \(text)\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }

    /// A ZIP archive with stored (uncompressed) entries, in order.
    static func zip(_ entries: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, text) in entries {
            let (n, data, offset) = (Array(name.utf8), Array(text.utf8), out.count)
            let crc = Int(crc32(data))
            let common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(data.count) + le32(data.count) + le16(n.count) + le16(0)
            out += [0x50, 0x4B, 0x03, 0x04] + common + n + data
            central += [0x50, 0x4B, 0x01, 0x02] + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + n
        }
        let start = out.count
        out += central
        out += [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(entries.count) + le16(entries.count) + le32(central.count) + le32(start) + le16(0)
        return out
    }

    static let contentTypes = (
        "[Content_Types].xml", #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#
    )
    static func ooxml(_ folder: String, extra: [(String, String)] = []) -> [UInt8] {
        zip([contentTypes, ("_rels/.rels", "<Relationships/>"), ("\(folder)/document.xml", "<document/>")] + extra)
    }
    static func openDocument(_ type: String, extra: [(String, String)] = []) -> [UInt8] {
        zip([("mimetype", "application/vnd.oasis.opendocument.\(type)"), ("content.xml", "<office:document-content/>")] + extra)
    }

    /// An OLE2 compound file (version 3, 512-byte sectors) whose directory
    /// holds `streams` after the root, four entries a sector, the directory's
    /// sectors chained through the allocation table in the last sector.
    static func compoundFile(_ streams: [String]) -> [UInt8] {
        let names = ["Root Entry"] + streams
        let directorySectors = (names.count + 3) / 4
        let fatSector = directorySectors
        var header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 16)
        header += le16(0x3E) + le16(3) + le16(0xFFFE) + le16(9) + le16(6) + [UInt8](repeating: 0, count: 6)
        header += le32(0) + le32(1) + le32(0) + le32(0) + le32(4096) + le32(0xFFFF_FFFE) + le32(0) + le32(0xFFFF_FFFE) + le32(0)
        header += le32(fatSector) + [UInt8](repeating: 0xFF, count: 108 * 4)
        var directory: [UInt8] = []
        for (i, name) in names.enumerated() {
            var entry = Array(name.utf16.flatMap { le16(Int($0)) })
            entry += [UInt8](repeating: 0, count: 64 - entry.count)
            entry += le16((name.utf16.count + 1) * 2) + [i == 0 ? 5 : 2, 1] + le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF)
            entry += [UInt8](repeating: 0, count: 128 - entry.count)
            directory += entry
        }
        directory += [UInt8](repeating: 0, count: directorySectors * 512 - directory.count)
        var fat: [UInt8] = []
        for s in 0..<directorySectors { fat += le32(s + 1 == directorySectors ? 0xFFFF_FFFE : s + 1) }
        fat += le32(0xFFFF_FFFD)
        fat += [UInt8](repeating: 0xFF, count: 512 - fat.count)
        return header + directory + fat
    }

    static let known: [(String, [UInt8], FileKind)] = [
        ("png", png, .png), ("jpeg", jpeg, .jpeg), ("gif", gif, .gif), ("webp", webp, .webp), ("pdf", pdf(), .pdf),
        ("docx", ooxml("word"), .docx), ("xlsx", ooxml("xl"), .xlsx), ("pptx", ooxml("ppt"), .pptx),
        ("odt", openDocument("text"), .odt), ("ods", openDocument("spreadsheet"), .ods), ("odp", openDocument("presentation"), .odp),
        ("doc", compoundFile(["WordDocument", "1Table"]), .doc), ("xls", compoundFile(["Workbook"]), .xls),
        ("xls (BIFF5)", compoundFile(["Book"]), .xls), ("ppt", compoundFile(["Current User", "PowerPoint Document"]), .ppt),
        // The main stream in the directory's second sector: the chain is followed.
        ("doc, long directory", compoundFile(["a", "b", "c", "d", "e", "WordDocument"]), .doc),
        ("txt", Array("Hei!\nTässä muistiinpanot.\n".utf8), .txt), ("txt with BOM", [0xEF, 0xBB, 0xBF] + Array("Hej".utf8), .txt),
        ("txt <3", Array("<3 kiitos\t\r\n".utf8), .txt),
    ]

    static let unknown: [(String, [UInt8])] = [
        ("empty", []),
        ("html", Array("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8)),
        ("html, upper case after white space", Array(" \n\t<HTML><body>hei</body></HTML>".utf8)),
        ("html after a BOM", [0xEF, 0xBB, 0xBF] + Array("<html>".utf8)),
        ("svg", Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)),
        ("xml", Array(#"<?xml version="1.0"?><a/>"#.utf8)),
        ("script tag", Array("<script>alert(1)</script>".utf8)),
        ("comment", Array("<!-- x --><p>".utf8)),
        ("shell script", Array("#!/bin/sh\nrm -rf ~\n".utf8)),
        ("program (ELF)", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 56)),
        ("program (PE)", Array("MZ".utf8) + [0x90, 0x00, 0x03, 0x00]),
        ("text with NUL", Array("hei\u{0}".utf8)),
        ("not UTF-8", [0x68, 0x65, 0xC3, 0x28]),
        ("PDF not at the start", Array("<html>%PDF-1.4".utf8)),
        ("a plain zip", zip([("notes.txt", "hei")])),
        ("zip with content types but no document", zip([contentTypes, ("docProps/app.xml", "<x/>")])),
        ("zip with two documents in one", zip([contentTypes, ("word/document.xml", "<d/>"), ("xl/workbook.xml", "<w/>")])),
        ("docx with macros", ooxml("word", extra: [("word/vbaProject.bin", "macros")])),
        ("odt with Basic macros", openDocument("text", extra: [("Basic/Standard/Module1.xml", "<m/>")])),
        ("OpenDocument of another type", openDocument("graphics")),
        ("zip cut short", Array(ooxml("word").dropLast(30))),
        ("compound file with no office stream (an installer)", compoundFile(["\u{4840}SummaryInformation", "Property"])),
    ]

    @Test func eachAcceptedKindIsKnownByItsBytes() {
        for (label, bytes, kind) in Self.known {
            #expect(FileKind.sniff(bytes) == kind, "\(label)")
            #expect(FileKind.sniff(Data(bytes)) == kind, "\(label) as Data")
        }
        #expect(FileKind.allCases.allSatisfy { kind in Self.known.contains { $0.2 == kind } })
        #expect(FileKind.jpeg.mime == "image/jpeg" && FileKind.jpeg.fileExtension == "jpg" && FileKind.jpeg.inline)
        #expect(FileKind.docx.mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document" && FileKind.docx.group == .office)
        #expect(FileKind.txt.mime == "text/plain; charset=utf-8" && FileKind.txt.group == .text)
        #expect(FileKind.allCases.filter(\.inline) == [.png, .jpeg, .gif, .webp])
        #expect(FileKind.allCases.filter { $0.group == .pdf } == [.pdf])
    }

    @Test func webPagesScriptsProgramsAndOtherArchivesAreUnknown() {
        for (label, bytes) in Self.unknown {
            #expect(FileKind.sniff(bytes) == nil, "\(label) was taken as \(String(describing: FileKind.sniff(bytes)))")
        }
    }

    /// Every shortened and every damaged copy of each sample is either a kind
    /// or unknown: the reader of ZIP and compound-file tables does not trap.
    @Test func damagedFilesNeverCrashTheReader() {
        var random = SplitMix64(seed: 19)
        for (_, bytes, _) in Self.known where bytes.count < 4096 {
            for length in 0..<bytes.count { _ = FileKind.sniff(bytes[..<length]) }
            for _ in 0..<300 {
                var copy = bytes
                for _ in 0...Int(random.next() % 8) { copy[Int(random.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: random.next()) }
                _ = FileKind.sniff(copy)
            }
        }
        // A table that points far outside the file, and one that loops.
        var far = Self.compoundFile(["WordDocument"])
        far.replaceSubrange(0x30..<0x34, with: Self.le32(0x7FFF_FFF0))
        #expect(FileKind.sniff(far) == nil)
        var loop = Self.compoundFile(["a", "b", "c", "d", "e"])
        loop.replaceSubrange((512 + 1024)..<(512 + 1024 + 4), with: Self.le32(0))
        #expect(FileKind.sniff(loop) == nil)
        var zip = Self.ooxml("word")
        zip.replaceSubrange((zip.count - 6)..<(zip.count - 2), with: Self.le32(0x7FFF_FFFF))
        #expect(FileKind.sniff(zip) == nil)
    }

    // MARK: policy

    @Test func thePolicyRefusesByNameEmptinessSizeAndKind() {
        let policy = FilePolicy()
        #expect(policy.maxBytes == 10 * 1024 * 1024 && policy.groups == [.image, .pdf, .office])
        #expect(policy.check(name: "raportti.docx", bytes: Self.ooxml("word")) == .success(.docx))
        // Named as a PDF, but a web page: the bytes decide.
        #expect(policy.check(name: "x.pdf", bytes: Array("<html><body>lasku</body></html>".utf8)) == .failure(.typeNotAllowed))
        #expect(policy.check(name: "kuva.svg", bytes: Self.unknown.first { $0.0 == "svg" }!.1) == .failure(.typeNotAllowed))
        #expect(policy.check(name: "tyhjä.pdf", bytes: [UInt8]()) == .failure(.empty))
        // Exactly the limit is taken; one byte more is not.
        let atLimit = Self.png + [UInt8](repeating: 0, count: policy.maxBytes - Self.png.count)
        #expect(policy.check(name: "iso.png", bytes: atLimit) == .success(.png))
        #expect(policy.check(name: "iso.png", bytes: atLimit + [0]) == .failure(.tooLarge))
        // Text only where the coordinator allowed it.
        #expect(policy.check(name: "muistio.txt", bytes: Array("hei".utf8)) == .failure(.typeNotAllowed))
        #expect(FilePolicy(groups: [.text]).check(name: "muistio.txt", bytes: Array("hei".utf8)) == .success(.txt))
        #expect(FilePolicy(groups: [.text]).check(name: "kuva.png", bytes: Self.png) == .failure(.typeNotAllowed))
        for bad in [
            "", String(repeating: "a", count: 201), "a/b.pdf", "..\\b.pdf", "a\u{0}.pdf", "rivi\nrivi.pdf", "fdp.\u{202E}exe.pdf", "..", " . ",
        ] {
            #expect(policy.check(name: bad, bytes: Self.pdf()) == .failure(.badName), "\(bad.debugDescription)")
        }
        for good in [String(repeating: "ä", count: 200), "Äidin lausunto (2).pdf", "👩‍👧 kuva.pdf", ".pdf"] {
            #expect(policy.check(name: good, bytes: Self.pdf()) == .success(.pdf), "\(good)")
        }
    }

    @Test func thePolicyIsKeptAsJSONWithinItsLimits() throws {
        let policy = FilePolicy(maxBytes: 2 * 1024 * 1024, groups: [.pdf, .text])
        let json = try JSONEncoder().encode(policy)
        #expect(String(decoding: json, as: UTF8.self).contains(#""groups":["pdf","text"]"#))
        #expect(try JSONDecoder().decode(FilePolicy.self, from: json) == policy)
        #expect(FilePolicy(maxBytes: 100 * 1024 * 1024).maxBytes == 25 * 1024 * 1024)
        #expect(FilePolicy(maxBytes: -5).maxBytes == 1)
        var changed = FilePolicy()
        changed.maxBytes = 1 << 40
        #expect(changed.maxBytes == FilePolicy.largestMaxBytes)
        let stored = try JSONDecoder().decode(FilePolicy.self, from: Data(#"{"maxBytes":999999999,"groups":["image","video"]}"#.utf8))
        #expect(stored == FilePolicy(maxBytes: FilePolicy.largestMaxBytes, groups: [.image]))
        #expect(try JSONDecoder().decode(FilePolicy.self, from: Data("{}".utf8)) == FilePolicy())
    }

    @Test func everyRefusalHasACodeAndATextInEachLanguage() throws {
        let locales = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Kohtaamo/Resources/locales")
        let localizer = try Localizer(directory: locales)
        #expect(FileRefusal.allCases.map(\.code) == ["file_empty", "file_too_large", "file_type_not_allowed", "file_bad_name"])
        for refusal in FileRefusal.allCases {
            #expect(refusal.appError.code == refusal.code && refusal.appError.messageKey == "error_\(refusal.code)")
            for language in Language.allCases {
                #expect(localizer.catalogue(language)[refusal.messageKey] != nil, "\(language) \(refusal.messageKey)")
            }
        }
        #expect(FileRefusal.tooLarge.appError.status == .contentTooLarge && FileRefusal.typeNotAllowed.appError.status == .unsupportedMediaType)
    }

    // MARK: stored in conversations

    static func conversation(_ app: Kohtaamo, _ who: Identity) async throws -> UUID {
        try await app.realtime.createConversation(
            kind: .coaching, participants: [Participant(identity: who, sender: Sender(name: "A", role: .client), canSend: true)])
    }

    static func count(_ app: Kohtaamo, _ conversation: UUID) async throws -> Int {
        try await app.storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("conversation_files")
            .where("conversation_id", .equal, conversation).first()!.decode(column: "n", as: Int.self)
    }

    @Test func aFileReadsBackAsSavedAndOnlyInItsOwnConversation() async throws {
        try await withApp(demo: false) { app, _ in
            let (coachee, coach) = (Identity.client(UUID()), Identity.staff(UUID()))
            let (c, other) = (try await Self.conversation(app, coachee), try await Self.conversation(app, coach))
            let files = try app.realtime.files
            var random = SplitMix64(seed: 7)
            let big = Data(Self.pdf() + (0..<3_000_000).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            let saved = try await files.save(conversation: c, name: "Äidin lausunto.pdf", kind: .pdf, bytes: big, uploader: coachee)
            #expect(saved.size == big.count && saved.uploader == coachee && saved.atMs == app.clock.nowMs && saved.conversation == c)
            app.clock.advance(by: 60)
            let image = try await files.save(conversation: c, name: "kuva.png", kind: .png, bytes: Data(Self.png), uploader: coach)

            let (info, bytes) = try #require(try await files.file(id: saved.id, conversation: c))
            #expect(info == saved && bytes == big)
            #expect(try await files.info(id: image.id, conversation: c) == image)
            #expect(try await files.list(conversation: c).map(\.name) == ["Äidin lausunto.pdf", "kuva.png"])
            #expect(try await files.list(conversation: other).isEmpty)

            // Another conversation's id opens nothing and deletes nothing.
            #expect(try await files.file(id: saved.id, conversation: other) == nil)
            #expect(try await files.info(id: saved.id, conversation: other) == nil)
            #expect(try await files.delete(id: saved.id, conversation: other) == false)
            #expect(try await files.file(id: UUID(), conversation: c) == nil)
            // Nor does a sealed file moved by hand into another conversation's row.
            try await app.storage.sql.update("conversation_files").set("conversation_id", to: other).where("id", .equal, image.id).run()
            await #expect(throws: Sealer.Failure.self) { try await files.info(id: image.id, conversation: other) }
            try await app.storage.sql.update("conversation_files").set("conversation_id", to: c).where("id", .equal, image.id).run()

            #expect(try await files.delete(id: saved.id, conversation: c) == true)
            #expect(try await files.file(id: saved.id, conversation: c) == nil)
            #expect(try await files.delete(id: saved.id, conversation: c) == false)
            #expect(try await files.list(conversation: c) == [image])
        }
    }

    @Test func savingChecksTheBytesTheNameAndTheConversationAgain() async throws {
        try await withApp(demo: false) { app, _ in
            let who = Identity.client(UUID())
            let c = try await Self.conversation(app, who)
            let files = try app.realtime.files
            let html = Data("<html><script>x</script></html>".utf8)
            await #expect(throws: FileRefusal.typeNotAllowed) {
                try await files.save(conversation: c, name: "x.pdf", kind: .pdf, bytes: html, uploader: who)
            }
            await #expect(throws: FileRefusal.badName) {
                try await files.save(conversation: c, name: "../x.pdf", kind: .pdf, bytes: Data(Self.pdf()), uploader: who)
            }
            await #expect(throws: FileRefusal.empty) {
                try await files.save(conversation: c, name: "x.pdf", kind: .pdf, bytes: Data(), uploader: who)
            }
            let tooBig = Data(Self.png + [UInt8](repeating: 0, count: FilePolicy.largestMaxBytes))
            await #expect(throws: FileRefusal.tooLarge) {
                try await files.save(conversation: c, name: "x.png", kind: .png, bytes: tooBig, uploader: who)
            }
            await #expect(throws: StoreError.noSuchConversation) {
                try await files.save(conversation: UUID(), name: "x.pdf", kind: .pdf, bytes: Data(Self.pdf()), uploader: who)
            }
            #expect(try await Self.count(app, c) == 0)
        }
    }

    /// What a stolen database holds: neither the file nor its name, in the
    /// SQLite files (with the WAL) or in a pg_dump (where bytea is hex).
    @Test func neitherTheBytesNorTheNameAreReadableInTheDatabase() async throws {
        try await withApp(demo: false) { app, _ in
            let marker = "SALAISUUS-\(UUID().uuidString.prefix(8))"
            let who = Identity.client(UUID())
            let c = try await Self.conversation(app, who)
            let files = try app.realtime.files
            let file = try await files.save(conversation: c, name: "\(marker).pdf", kind: .pdf, bytes: Data(Self.pdf(marker)), uploader: who)
            let raw = try rawDatabase(app.configuration)
            func found(_ bytes: Data) -> Bool {
                raw.range(of: bytes) != nil || raw.range(of: Data(bytes.map { String(format: "%02x", $0) }.joined().utf8)) != nil
            }
            #expect(!found(Data(marker.utf8)), "the file or its name is readable in the database")
            // A control: the stored (sealed) bytes are found, so the search sees files.
            let sealed = try await app.storage.sql.select().column("content_sealed").from("conversation_files").where("id", .equal, file.id)
                .first()!.decode(column: "content_sealed", as: Data.self)
            #expect(found(sealed.prefix(64)))
            #expect(try await files.file(id: file.id, conversation: c)?.1 == Data(Self.pdf(marker)))
        }
    }

    @Test func filesAreErasedWithTheirConversation() async throws {
        try await withApp(demo: false) { app, _ in
            let who = Identity.client(UUID())
            let (c, kept) = (try await Self.conversation(app, who), try await Self.conversation(app, who))
            let files = try app.realtime.files
            let file = try await files.save(conversation: c, name: "a.pdf", kind: .pdf, bytes: Data(Self.pdf()), uploader: who)
            let other = try await files.save(conversation: kept, name: "b.pdf", kind: .pdf, bytes: Data(Self.pdf()), uploader: who)
            try await app.realtime.erase(c)
            #expect(try await Self.count(app, c) == 0)
            #expect(try await files.file(id: file.id, conversation: c) == nil)
            #expect(try await files.list(conversation: kept) == [other])
            await #expect(throws: StoreError.noSuchConversation) {
                try await files.save(conversation: c, name: "a.pdf", kind: .pdf, bytes: Data(Self.pdf()), uploader: who)
            }

            // Saves racing an erase: each is either refused or erased with it; none is left behind.
            let racing = try await Self.conversation(app, who)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await files.save(conversation: racing, name: "\(i).pdf", kind: .pdf, bytes: Data(Self.pdf()), uploader: who)
                            return "saved"
                        } catch StoreError.noSuchConversation { return "refused" }
                    }
                }
                group.addTask {
                    try await app.realtime.erase(racing)
                    return "erased"
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.count == 9 && outcomes.filter { $0 == "erased" }.count == 1)
            #expect(try await Self.count(app, racing) == 0)
        }
    }

    // MARK: download

    @Test func aDownloadIsTypedByItsKindAndSavedUnlessAnImage() {
        let pdf = FileDownload.response(name: "Äiti \"x\".pdf", kind: .pdf, data: Data(Self.pdf()))
        #expect(pdf.headers[.contentType] == "application/pdf")
        #expect(pdf.headers[.contentDisposition] == #"attachment; filename="_iti _x_.pdf"; filename*=UTF-8''%C3%84iti%20%22x%22.pdf"#)
        #expect(pdf.headers[.xContentTypeOptions] == "nosniff")
        #expect(pdf.headers[.contentSecurityPolicy] == "default-src 'none'; sandbox")
        #expect(pdf.headers[.cacheControl] == "private, no-store")
        let image = FileDownload.response(name: "kuva.JPEG", kind: .jpeg, data: Data(Self.jpeg))
        #expect(image.headers[.contentDisposition] == #"inline; filename="kuva.JPEG"; filename*=UTF-8''kuva.JPEG"#)
        // Text named as a web page is saved as text: the computer will not open it as a page.
        let text = FileDownload.response(name: "muistio.html", kind: .txt, data: Data("hei".utf8))
        #expect(text.headers[.contentType] == "text/plain; charset=utf-8")
        #expect(text.headers[.contentDisposition] == #"attachment; filename="muistio.html.txt"; filename*=UTF-8''muistio.html.txt"#)
        #expect(FileKind.png.downloadName(for: "kuva.pdf") == "kuva.pdf.png" && FileKind.png.downloadName(for: ".png") == ".png.png")
    }

    // MARK: multipart

    static func multipart(_ boundary: String, _ parts: [(String, [UInt8])], preamble: String = "") -> [UInt8] {
        var out = Array(preamble.utf8)
        for (headers, content) in parts { out += Array("--\(boundary)\r\n\(headers)\r\n\r\n".utf8) + content + Array("\r\n".utf8) }
        return out + Array("--\(boundary)--\r\n".utf8)
    }

    static func code(_ body: [UInt8], _ boundary: String = "XyZ") -> String? {
        do {
            _ = try MultipartForm(body: body, boundary: boundary)
            return nil
        } catch let error as AppError {
            return error.code
        } catch {
            return "unexpected \(error)"
        }
    }

    /// Near misses of the delimiter (`\r\n--XyZ`) inside the file.
    static let fileContent = Array("%PDF-1.4 --XyZ not after a line break\r\n\r\n--Xy\r\n".utf8) + [0, 0xFF, 0x0D, 0x0A]

    static let goodBody = multipart(
        "XyZ",
        [
            (#"Content-Disposition: form-data; name="csrf""#, Array("token".utf8)),
            ("Content-Disposition: form-data; name=\"title\"\r\nContent-Type: text/plain; charset=utf-8", Array("Hei – äö\r\ntoinen rivi".utf8)),
            (
                #"Content-Disposition: form-data; name="file"; filename="C:\Users\Aino\raportti.pdf""# + "\r\nContent-Type: application/pdf",
                fileContent
            ),
        ])

    @Test func aMultipartFormGivesItsFieldsAndItsOneFile() throws {
        let form = try MultipartForm(body: Self.goodBody, boundary: "XyZ")
        #expect(form.fields.map(\.0) == ["csrf", "title"] && form["title"] == "Hei – äö\r\ntoinen rivi" && form.form["csrf"] == "token")
        #expect(form.file == MultipartForm.File(field: "file", name: "raportti.pdf", bytes: Data(Self.fileContent)))
        // A preamble, a quoted boundary, RFC 5987 names and an empty file field.
        let body = Self.multipart(
            "a'b c",
            [
                (#"content-disposition: form-data; name="f"; filename*=UTF-8''%C3%84iti.pdf"#, Self.pdf()),
                (#"Content-Disposition: form-data; name="empty"; filename="""#, []),
            ], preamble: "ignored\r\n")
        #expect(MultipartForm.boundary(contentType: #"multipart/form-data; charset=utf-8; boundary="a'b c""#) == "a'b c")
        let other = try MultipartForm(body: body, boundary: "a'b c")
        #expect(other.file?.name == "Äiti.pdf" && other.fields.isEmpty)
        // Quotes as browsers send them (%22) and as RFC 2616 escapes them.
        let quoted = try MultipartForm(
            body: Self.multipart("XyZ", [(#"Content-Disposition: form-data; name="f"; filename="sano %22hei%22 \"x\".pdf""#, Self.pdf())]),
            boundary: "XyZ")
        #expect(quoted.file?.name == #"sano "hei" "x".pdf"#)
        // A large file is found whole.
        var random = SplitMix64(seed: 3)
        let big = (0..<2_000_000).map { _ in UInt8(truncatingIfNeeded: random.next() % 3 == 0 ? 0x0D : random.next()) }
        let large = try MultipartForm(
            body: Self.multipart("XyZ", [(#"Content-Disposition: form-data; name="f"; filename="a.bin""#, big)]), boundary: "XyZ")
        #expect(large.file?.bytes == Data(big))
    }

    @Test func brokenMultipartBodiesAreBadRequests() {
        #expect(MultipartForm.boundary(contentType: "multipart/form-data") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\(String(repeating: "a", count: 71))") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"a\u{1}b\"") == nil)
        // Cut anywhere before its last boundary, the body is refused.
        let end = Self.goodBody.count - 2
        for length in 0..<end { #expect(Self.code(Array(Self.goodBody[..<length])) == "bad_request", "cut at \(length)") }
        #expect(Self.code(Self.goodBody, "other") == "bad_request")
        let disposition = #"Content-Disposition: form-data; name="a""#
        let bad: [(String, [UInt8])] = [
            ("huge headers", Self.multipart("XyZ", [(disposition + "\r\nX-Long: " + String(repeating: "a", count: 10_000), [])])),
            ("no disposition", Self.multipart("XyZ", [("Content-Type: text/plain", [])])),
            ("not form-data", Self.multipart("XyZ", [(#"Content-Disposition: attachment; name="a""#, [])])),
            ("no name", Self.multipart("XyZ", [(#"Content-Disposition: form-data; filename="a.pdf""#, [])])),
            ("unclosed quote", Self.multipart("XyZ", [(#"Content-Disposition: form-data; name="a"#, [])])),
            ("header without colon", Self.multipart("XyZ", [(disposition + "\r\nnonsense", [])])),
            ("field not UTF-8", Self.multipart("XyZ", [(disposition, [0xC3, 0x28])])),
            ("field with NUL", Self.multipart("XyZ", [(disposition, [0x61, 0x00])])),
            (
                "two files",
                Self.multipart(
                    "XyZ",
                    [
                        (#"Content-Disposition: form-data; name="a"; filename="1.pdf""#, [1]),
                        (#"Content-Disposition: form-data; name="b"; filename="2.pdf""#, [2]),
                    ]
                )
            ),
            ("too many parts", Self.multipart("XyZ", Array(repeating: (disposition, Array("x".utf8)), count: 101))),
            ("garbage after a boundary", Array("--XyZ junk\r\n".utf8) + Self.goodBody),
        ]
        for (label, body) in bad { #expect(Self.code(body) == "bad_request", "\(label)") }
        #expect(Self.code(Self.multipart("XyZ", Array(repeating: (disposition, Array("x".utf8)), count: 100))) == nil)
    }

    /// Seeded damage to a good body, and noise: every outcome is a form or a
    /// 400, never a crash or another error.
    @Test func damagedMultipartBodiesNeverCrashTheReader() {
        var random = SplitMix64(seed: 2026)
        var parsed = 0
        for round in 0..<3000 {
            var body = Self.goodBody
            if round % 10 == 0 {
                body = (0..<Int(random.next() % 400)).map { _ in Array("--XyZ\r\n\":;=".utf8)[Int(random.next() % 11)] }
            } else {
                for _ in 0...Int(random.next() % 4) {
                    let at = Int(random.next() % UInt64(body.count))
                    switch random.next() % 3 {
                    case 0: body[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: body.remove(at: at)
                    default: body.insert(Array("\r\n-\"".utf8)[Int(random.next() % 4)], at: at)
                    }
                }
            }
            let code = Self.code(body)
            #expect(code == nil || code == "bad_request", "\(String(describing: code))")
            if code == nil { parsed += 1 }
        }
        #expect(parsed > 100, "the damage should leave some bodies readable")
    }

    // MARK: uploads through a router

    /// The readers as a feature's routes would use them, behind the error
    /// and CSRF middleware.
    static func router(_ app: Kohtaamo) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware(views: app.views))
        router.add(middleware: CSRFCookieMiddleware(secure: false))
        router.post("/form") { request, context -> Response in
            let form = try await MultipartForm.read(request, context: context, maxFileBytes: 1000)
            return try JSONResponse.make(["title": form["title"], "file": form.file?.name ?? "", "size": String(form.file?.bytes.count ?? 0)])
        }
        router.post("/api/upload") { request, _ -> Response in
            let (name, bytes) = try await RawFileBody.read(request, maxBytes: 1000)
            guard case .success(let kind) = FilePolicy(maxBytes: 1000).check(name: name, bytes: bytes) else { throw AppError.badRequest }
            return FileDownload.response(name: name, kind: kind, data: bytes)
        }
        return router
    }

    static func json(_ response: TestResponse) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: String] ?? [:]
    }

    @Test func uploadsAreReadWithTheirLimitAndTheFormsCSRFToken() async throws {
        try await withApp(demo: false) { app, _ in
            try await Application(router: Self.router(app)).test(.router) { client in
                func post(_ uri: String, _ type: String, _ body: [UInt8], cookie: String = "k_csrf=token") async throws -> TestResponse {
                    try await client.execute(
                        uri: uri, method: .post, headers: [.contentType: type, .cookie: cookie], body: ByteBuffer(bytes: body))
                }
                let type = "multipart/form-data; boundary=XyZ"
                let ok = try await post("/form", type, Self.goodBody)
                #expect(
                    ok.status == .ok
                        && Self.json(ok) == ["title": "Hei – äö\r\ntoinen rivi", "file": "raportti.pdf", "size": String(Self.fileContent.count)])
                #expect(try await post("/form", type, Self.goodBody, cookie: "k_csrf=other").status == .forbidden)
                #expect(try await post("/form", "multipart/form-data", Self.goodBody).status == .badRequest)
                #expect(try await post("/form", "application/x-www-form-urlencoded", Array("a=b".utf8)).status == .unsupportedMediaType)
                #expect(try await post("/form", type, Array(Self.goodBody.prefix(40))).status == .badRequest)
                let huge = Self.multipart(
                    "XyZ", [(#"Content-Disposition: form-data; name="f"; filename="a.pdf""#, Self.pdf() + [UInt8](repeating: 0x20, count: 70_000))])
                #expect(try await post("/form", type, huge).status == .contentTooLarge)

                let raw = try await post("/api/upload?name=%C3%84iti.pdf", "application/octet-stream", Self.pdf())
                #expect(raw.status == .ok && raw.headers[.contentDisposition]?.hasSuffix("UTF-8''%C3%84iti.pdf") == true)
                #expect(Data(raw.body.readableBytesView) == Data(Self.pdf()))
                let tooLarge = try await post(
                    "/api/upload?name=a.pdf", "application/octet-stream", Self.pdf() + [UInt8](repeating: 0x20, count: 1000))
                #expect(tooLarge.status == .contentTooLarge && Self.json(tooLarge)["code"] == "file_too_large")
                let noName = try await post("/api/upload", "application/octet-stream", Self.pdf())
                #expect(noName.status == .badRequest && Self.json(noName)["code"] == "file_bad_name")
                #expect(try await post("/api/upload?name=a.pdf", "application/pdf", Self.pdf()).status == .unsupportedMediaType)
            }
        }
    }
}
