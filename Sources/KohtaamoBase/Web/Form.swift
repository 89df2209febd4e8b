import Foundation
import Hummingbird

/// A submitted HTML form. The only way handlers read form fields, so no form
/// can skip the CSRF check.
package struct Form: Sendable {
    package let pairs: [(String, String)]

    /// Reads an `application/x-www-form-urlencoded` body and checks its CSRF token.
    package static func read(_ request: Request, context: some PageContext) async throws -> Form {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { throw AppError.unsupportedMediaType }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw AppError.tooLarge
        }
        guard let form = Form(urlEncoded: String(buffer: buffer)) else { throw AppError.badRequest }
        guard let sent = form.pairs.first(where: { $0.0 == "csrf" })?.1, context.csrf.matches(sent) else { throw AppError.csrf }
        return form
    }

    package init?(urlEncoded body: String) {
        var pairs: [(String, String)] = []
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(kv[0]), let value = Self.decode(kv.count > 1 ? kv[1] : "") else { return nil }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    package init(pairs: [(String, String)]) { self.pairs = pairs }

    /// nil for bad percent-encoding and for U+0000 (no text field may hold it).
    private static func decode(_ s: Substring) -> String? {
        guard let value = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding, !value.contains("\u{0}") else { return nil }
        return value
    }

    /// The first value of a field, trimmed of surrounding white space ("" when absent).
    package subscript(_ name: String) -> String {
        (pairs.first { $0.0 == name }?.1 ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every value of a repeated field (checkbox lists).
    package func values(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    package func has(_ name: String) -> Bool { pairs.contains { $0.0 == name } }
}

/// Problems found in a form, each tied to the field it concerns; shown next to
/// the field and in a summary at the top of the page.
package struct FieldErrors: Sendable {
    package private(set) var items: [(field: String, key: String)] = []
    package init() {}
    /// One error on one field.
    package init(_ field: String, _ key: String) { items = [(field, key)] }
    package var isEmpty: Bool { items.isEmpty }
    package mutating func add(_ field: String, _ key: String) {
        if !items.contains(where: { $0.field == field }) { items.append((field, key)) }
    }
    package func key(for field: String) -> String? { items.first { $0.field == field }?.key }
}

/// Text-field checks shared by every form.
package enum Validate {
    /// Length in Unicode code points, as the contract counts.
    package static func length(_ s: String, _ range: ClosedRange<Int>) -> Bool { range.contains(s.unicodeScalars.count) }

    /// No control characters (except none); blocks invisible tricks in names.
    package static func plainLine(_ s: String) -> Bool {
        !s.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format && $0.value != 0x200D }
    }

    /// Text of several lines (a message, an answer): no control characters
    /// but line breaks and tabs, no invisible format characters but the
    /// zero-width joiner (emoji sequences).
    package static func plainText(_ s: String) -> Bool {
        !s.unicodeScalars.contains {
            ($0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t")
                || ($0.properties.generalCategory == .format && $0.value != 0x200D)
        }
    }

    /// A lower-case slug for addresses: a–z, 0–9 and dashes, 2–40 characters.
    package static func slug(_ s: String) -> Bool {
        (2...40).contains(s.count) && s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            && !s.hasPrefix("-") && !s.hasSuffix("-")
    }

    /// An http(s) address with a host, shown as a link but never loaded by the product.
    package static func webAddress(_ s: String) -> Bool {
        // Only characters an address needs: no quotes, brackets or spaces that could break out of an attribute.
        guard length(s, 10...300), s.allSatisfy({ $0.isASCII && !$0.isWhitespace && !"\"'<>`{}|\\^".contains($0) }),
            let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, host.contains(".")
        else { return false }
        return true
    }

    package static func email(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && s.count <= 254 && !s.contains(where: { $0.isWhitespace }) && plainLine(s)
    }
}
