/// What a file IS, read from its first bytes and its structure, never from
/// its name or the type the browser claims: a name is typed by a person and a
/// claimed type by a program, and either can say "pdf" of a web page. Only
/// the kinds below are accepted; everything else (HTML, SVG, XML, scripts,
/// programs, archives that are not office documents, office files with
/// macros) is unknown and refused, because a file a worker opens must not
/// run anything.
package enum FileKind: String, Sendable, Codable, CaseIterable, Hashable {
    case png, jpeg, gif, webp
    case pdf
    case docx, xlsx, pptx
    case odt, ods, odp
    /// Office 97–2003 files (OLE2 compound files), told apart by their main stream.
    case doc, xls, ppt
    case txt

    /// What a coordinator allows: a group of kinds, not each kind.
    package enum Group: String, Sendable, Codable, CaseIterable, Hashable {
        case image, pdf, office, text
    }

    package var group: Group {
        switch self {
        case .png, .jpeg, .gif, .webp: .image
        case .pdf: .pdf
        case .docx, .xlsx, .pptx, .odt, .ods, .odp, .doc, .xls, .ppt: .office
        case .txt: .text
        }
    }

    package var mime: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .ods: "application/vnd.oasis.opendocument.spreadsheet"
        case .odp: "application/vnd.oasis.opendocument.presentation"
        case .doc: "application/msword"
        case .xls: "application/vnd.ms-excel"
        case .ppt: "application/vnd.ms-powerpoint"
        case .txt: "text/plain; charset=utf-8"
        }
    }

    /// Without the dot.
    package var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        default: rawValue
        }
    }

    /// Only raster images may be shown in the page; everything else is
    /// downloaded, so a browser never renders a document it was sent.
    package var inline: Bool { group == .image }

    /// The name a download gets: the person's name, with the kind's own
    /// extension added when the name does not end in it. A text file named
    /// `notes.html` is saved as `notes.html.txt`, so the computer does not
    /// open it as a web page.
    package func downloadName(for name: String) -> String {
        let lower = name.lowercased()
        let accepted = self == .jpeg ? ["jpg", "jpeg"] : [fileExtension]
        if accepted.contains(where: { lower.hasSuffix("." + $0) && lower.count > $0.count + 1 }) { return name }
        return name + "." + fileExtension
    }

    /// The kind the bytes are, or nil for anything not accepted (an empty file too).
    package static func sniff(_ bytes: some Collection<UInt8>) -> FileKind? {
        if let kind = bytes.withContiguousStorageIfAvailable({ sniff(Bytes($0)) }) { return kind }
        return Array(bytes).withUnsafeBufferPointer { sniff(Bytes($0)) }
    }

    private static func sniff(_ b: Bytes) -> FileKind? {
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return .gif }
        if b.starts(with: Array("RIFF".utf8)) && b.matches(Array("WEBP".utf8), at: 8) { return .webp }
        if b.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return ZipOffice.kind(b) }
        if b.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return CompoundFile.kind(b) }
        return PlainText.isPlain(b) ? .txt : nil
    }
}

/// Bounds-checked little-endian reads over the file's bytes: a short or
/// lying file gives nil, never a crash.
private struct Bytes {
    let buffer: UnsafeBufferPointer<UInt8>
    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    var count: Int { buffer.count }

    func starts(with prefix: [UInt8]) -> Bool { matches(prefix, at: 0) }

    func matches(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= count - bytes.count else { return false }
        for (i, byte) in bytes.enumerated() where buffer[offset + i] != byte { return false }
        return true
    }

    func u16(_ offset: Int) -> Int? {
        guard offset >= 0, offset <= count - 2 else { return nil }
        return Int(buffer[offset]) | Int(buffer[offset + 1]) << 8
    }

    func u32(_ offset: Int) -> Int? {
        guard let low = u16(offset), let high = u16(offset + 2) else { return nil }
        return low | high << 16
    }

    func slice(_ offset: Int, _ length: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, length >= 0, offset <= count - length else { return nil }
        return ArraySlice(UnsafeBufferPointer(rebasing: buffer[offset..<offset + length]))
    }
}

/// Office documents that are ZIP archives: Office Open XML (`docx`, `xlsx`,
/// `pptx`) and OpenDocument (`odt`, `ods`, `odp`). Read from the archive's
/// own table of contents (the central directory), so an archive of anything
/// else is refused.
private enum ZipOffice {
    /// More entries than any real document has: the table is not read further.
    static let maxEntries = 20_000

    static func kind(_ b: Bytes) -> FileKind? {
        guard let names = entryNames(b) else { return nil }
        if let kind = openDocument(b, names: names) { return kind }
        guard names.contains("[Content_Types].xml") else { return nil }
        // A macro project makes it a macro-enabled file whatever its name says.
        if names.contains(where: { $0.lowercased().hasSuffix("vbaproject.bin") }) { return nil }
        let found: [(String, FileKind)] = [("word/", .docx), ("xl/", .xlsx), ("ppt/", .pptx)].filter { prefix, _ in
            names.contains { $0.hasPrefix(prefix) }
        }
        return found.count == 1 ? found[0].1 : nil
    }

    /// An OpenDocument file's first entry is `mimetype`, stored uncompressed,
    /// holding the document's type: read from the first local header.
    static func openDocument(_ b: Bytes, names: [String]) -> FileKind? {
        guard let nameLength = b.u16(26), let extraLength = b.u16(28), let method = b.u16(8), let size = b.u32(18),
            let name = b.slice(30, nameLength), String(decoding: name, as: UTF8.self) == "mimetype", method == 0, size <= 100,
            let value = b.slice(30 + nameLength + extraLength, size)
        else { return nil }
        // Basic and script folders hold macros.
        if names.contains(where: { $0.hasPrefix("Basic/") || $0.hasPrefix("Scripts/") }) { return nil }
        switch String(decoding: value, as: UTF8.self) {
        case "application/vnd.oasis.opendocument.text": return .odt
        case "application/vnd.oasis.opendocument.spreadsheet": return .ods
        case "application/vnd.oasis.opendocument.presentation": return .odp
        default: return nil
        }
    }

    /// The names in the central directory, found from its end record
    /// (searched for in the last 64 KiB, where the comment may push it);
    /// nil when the archive is damaged, ZIP64 or oddly large.
    static func entryNames(_ b: Bytes) -> [String]? {
        let endSignature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        var end = b.count - 22
        let lowest = max(0, b.count - 22 - 0xFFFF)
        while end >= lowest && !b.matches(endSignature, at: end) { end -= 1 }
        guard end >= lowest, let total = b.u16(end + 10), let size = b.u32(end + 12), let start = b.u32(end + 16),
            total != 0xFFFF, start != 0xFFFF_FFFF, total <= maxEntries, start <= b.count - size
        else { return nil }
        var names: [String] = []
        var at = start
        for _ in 0..<total {
            guard b.matches([0x50, 0x4B, 0x01, 0x02], at: at), let nameLength = b.u16(at + 28), let extra = b.u16(at + 30),
                let comment = b.u16(at + 32), let name = b.slice(at + 46, nameLength)
            else { return nil }
            names.append(String(decoding: name, as: UTF8.self))
            at += 46 + nameLength + extra + comment
        }
        return names
    }
}

/// Office 97–2003 files: an OLE2 compound file whose directory names the
/// document's main stream. Other compound files (installer packages,
/// Outlook messages) have none of these and are refused.
private enum CompoundFile {
    static let endOfChain = 0xFFFF_FFFE
    /// A directory longer than this is not an office document's.
    static let maxDirectorySectors = 4096

    static func kind(_ b: Bytes) -> FileKind? {
        let streams = streamNames(b)
        if streams.contains("WordDocument") { return .doc }
        if streams.contains("Workbook") || streams.contains("Book") { return .xls }
        if streams.contains("PowerPoint Document") { return .ppt }
        return nil
    }

    /// The names of the directory's entries, following the directory's chain
    /// of sectors through the allocation table (only the header's 109 table
    /// sectors: enough for files far over the upload limit).
    static func streamNames(_ b: Bytes) -> Set<String> {
        guard let shift = b.u16(0x1E), shift == 9 || shift == 12, var sector = b.u32(0x30) else { return [] }
        let sectorSize = 1 << shift
        let perTable = sectorSize / 4
        var names: Set<String> = []
        var seen: Set<Int> = []
        while sector != endOfChain, seen.count < maxDirectorySectors, seen.insert(sector).inserted {
            let base = (sector + 1) * sectorSize
            for entry in 0..<(sectorSize / 128) {
                let at = base + entry * 128
                guard let length = b.u16(at + 0x40), length >= 2, length <= 64, let raw = b.slice(at, length - 2) else { continue }
                let units = stride(from: raw.startIndex, to: raw.endIndex - 1, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
                names.insert(String(decoding: units, as: UTF16.self))
            }
            let tableIndex = sector / perTable
            guard tableIndex < 109, let tableSector = b.u32(0x4C + tableIndex * 4),
                let next = b.u32((tableSector + 1) * sectorSize + (sector % perTable) * 4)
            else { break }
            sector = next
        }
        return names
    }
}

/// Plain text: valid UTF-8 with no control characters but tab, line breaks
/// and form feed, that does not start (after a byte-order mark and white
/// space) like markup or a script. HTML, SVG and XML are refused even when
/// named `.txt`: some programs would still open them as pages.
private enum PlainText {
    static func isPlain(_ b: Bytes) -> Bool {
        guard b.count > 0 else { return false }
        for byte in b.buffer where byte < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains(byte) || byte == 0x7F { return false }
        guard let text = String(validating: b.buffer, as: UTF8.self) else { return false }
        var start = text.unicodeScalars[...]
        if start.first == "\u{FEFF}" { start = start.dropFirst() }
        start = start.drop { $0.properties.isWhitespace }
        if start.starts(with: "#!".unicodeScalars) { return false }
        // `<` and then a letter, `!`, `?` or `/`: the start of a tag, a
        // doctype, an XML declaration or a comment ("<3" is still text).
        if start.first == "<", let next = start.dropFirst().first,
            next.properties.isAlphabetic || "!?/".unicodeScalars.contains(next)
        {
            return false
        }
        return true
    }
}
