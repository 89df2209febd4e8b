import Hummingbird

/// Which files a place accepts: how large and which groups of kinds. A
/// coordinator sets it; the feature stores it (as JSON) and checks every
/// upload with `check` before it is saved.
package struct FilePolicy: Sendable, Equatable, Codable {
    package static let defaultMaxBytes = 10 * 1024 * 1024
    /// The most any place may accept: a file is read into memory, sealed and
    /// stored in the database, and a browser on a phone line must send it.
    package static let largestMaxBytes = 25 * 1024 * 1024
    package static let defaultGroups: Set<FileKind.Group> = [.image, .pdf, .office]
    /// Length of a file's name in characters (Unicode code points).
    package static let nameLength = 1...200

    /// Bytes; kept within 1…`largestMaxBytes`.
    package var maxBytes: Int {
        didSet { maxBytes = Self.clamped(maxBytes) }
    }
    package var groups: Set<FileKind.Group>

    package init(maxBytes: Int = defaultMaxBytes, groups: Set<FileKind.Group> = defaultGroups) {
        self.maxBytes = Self.clamped(maxBytes)
        self.groups = groups
    }

    private static func clamped(_ bytes: Int) -> Int { min(max(bytes, 1), largestMaxBytes) }

    private enum CodingKeys: String, CodingKey { case maxBytes, groups }

    /// A stored policy with a missing field gets the default; an unknown
    /// group name (from a later version) is left out rather than failing.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let names = try c.decodeIfPresent([String].self, forKey: .groups)
        self.init(
            maxBytes: try c.decodeIfPresent(Int.self, forKey: .maxBytes) ?? Self.defaultMaxBytes,
            groups: names.map { Set($0.compactMap(FileKind.Group.init(rawValue:))) } ?? Self.defaultGroups)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxBytes, forKey: .maxBytes)
        try c.encode(groups.map(\.rawValue).sorted(), forKey: .groups)
    }

    /// The file's kind, or why it is refused: a bad name first (it is shown
    /// to others), then an empty file, one over the size, one of a kind not
    /// accepted at all or not in this place's groups.
    package func check(name: String, bytes: some Collection<UInt8>) -> Result<FileKind, FileRefusal> {
        guard Self.isValidName(name) else { return .failure(.badName) }
        guard !bytes.isEmpty else { return .failure(.empty) }
        guard bytes.count <= maxBytes else { return .failure(.tooLarge) }
        guard let kind = FileKind.sniff(bytes), groups.contains(kind.group) else { return .failure(.typeNotAllowed) }
        return .success(kind)
    }

    /// 1–200 characters on one plain line (no control or invisible format
    /// characters, which can disguise an extension), no path separators, and
    /// not only dots and spaces.
    package static func isValidName(_ name: String) -> Bool {
        Validate.length(name, nameLength) && Validate.plainLine(name) && !name.contains("/") && !name.contains("\\")
            && !name.allSatisfy { $0 == "." || $0.isWhitespace }
    }
}

/// Why a file was refused, as a stable code for programs; the person reads
/// `error_<code>` in their language.
package enum FileRefusal: String, Error, Sendable, CaseIterable {
    case empty = "file_empty"
    case tooLarge = "file_too_large"
    case typeNotAllowed = "file_type_not_allowed"
    case badName = "file_bad_name"

    package var code: String { rawValue }
    package var messageKey: String { "error_" + rawValue }

    /// The refusal as an answer: 413 for the size, 415 for the kind, 400 otherwise.
    package var appError: AppError {
        switch self {
        case .empty, .badName: AppError(.badRequest, code: rawValue)
        case .tooLarge: AppError(.contentTooLarge, code: rawValue)
        case .typeNotAllowed: AppError(.unsupportedMediaType, code: rawValue)
        }
    }
}
