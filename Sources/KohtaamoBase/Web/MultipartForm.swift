import Foundation
import Hummingbird

/// A submitted HTML form with a file (`multipart/form-data`, RFC 7578), for
/// the pages that work without JavaScript: text fields and at most one file.
/// As `Form`, it is read only with its CSRF token checked. Any body that is
/// not well formed is 400 `bad_request`; nothing in it can crash the reader.
package struct MultipartForm: Sendable {
    /// The file part: the field it came in, the name the browser gave (the
    /// last part of a path, as old browsers sent a whole one) and its bytes.
    package struct File: Sendable, Equatable {
        package var field: String
        package var name: String
        package var bytes: Data
    }

    package let fields: [(String, String)]
    /// nil when no file was chosen (a browser still sends an empty part then).
    package let file: File?

    /// More parts than any of our forms has.
    package static let maxParts = 100
    /// One part's headers; a browser sends a few hundred bytes.
    package static let maxHeaderBytes = 8 * 1024
    /// What the body may hold beside the file: the fields and the parts' headers.
    package static let formOverhead = 64 * 1024

    /// Reads the body (the file up to `maxFileBytes`, more is 413
    /// `file_too_large`) and checks its CSRF token.
    package static func read(_ request: Request, context: some PageContext, maxFileBytes: Int) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") else {
            throw AppError.unsupportedMediaType
        }
        guard let boundary = boundary(contentType: type) else { throw AppError.badRequest }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxFileBytes + formOverhead) } catch { throw FileRefusal.tooLarge.appError }
        let form = try MultipartForm(body: Array(buffer.readableBytesView), boundary: boundary)
        guard let sent = form.fields.first(where: { $0.0 == "csrf" })?.1, context.csrf.matches(sent) else { throw AppError.csrf }
        return form
    }

    /// The `boundary` parameter of a `multipart/form-data` content type
    /// (quoted or not); nil when it is missing or not 1–70 characters.
    package static func boundary(contentType: String) -> String? {
        for parameter in Self.parameters(contentType).dropFirst() where parameter.0.lowercased() == "boundary" {
            let value = parameter.1
            guard (1...70).contains(value.utf8.count), value.utf8.allSatisfy(boundaryBytes.contains), !value.hasSuffix(" ") else { return nil }
            return value
        }
        return nil
    }

    /// RFC 2046's `bchars`.
    static let boundaryBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+_,-./:=? ".utf8)

    package init(fields: [(String, String)], file: File?) {
        self.fields = fields
        self.file = file
    }

    /// Parses a whole body; throws `AppError.badRequest` for anything not well formed.
    package init(body: [UInt8], boundary: String) throws {
        let dash = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        let crlf: [UInt8] = [0x0D, 0x0A]
        // The first boundary starts the body or ends a preamble line.
        var at: Int
        if Self.matches(body, dash, at: 0) {
            at = 0
        } else if let found = Self.find(delimiter, in: body, from: 0) {
            at = found + 2
        } else {
            throw AppError.badRequest
        }
        var fields: [(String, String)] = []
        var file: File?
        var parts = 0
        while true {
            at += dash.count
            if Self.matches(body, [0x2D, 0x2D], at: at) { break }  // "--": the last boundary
            while at < body.count && (body[at] == 0x20 || body[at] == 0x09) { at += 1 }
            guard Self.matches(body, crlf, at: at) else { throw AppError.badRequest }
            at += 2
            parts += 1
            guard parts <= Self.maxParts, let end = Self.find(delimiter, in: body, from: at) else { throw AppError.badRequest }
            let part = try Part(body[at..<end])
            at = end + 2
            guard let fileName = part.fileName else {
                guard let value = String(validating: part.content, as: UTF8.self), !value.contains("\u{0}") else { throw AppError.badRequest }
                fields.append((part.name, value))
                continue
            }
            // A file field with no file chosen still comes, empty and nameless.
            if fileName.isEmpty && part.content.isEmpty { continue }
            guard file == nil else { throw AppError.badRequest }
            file = File(field: part.name, name: fileName, bytes: Data(part.content))
        }
        self.init(fields: fields, file: file)
    }

    /// The first value of a field, trimmed of surrounding white space ("" when absent).
    package subscript(_ name: String) -> String {
        (fields.first { $0.0 == name }?.1 ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The text fields as a `Form`, for code that reads forms.
    package var form: Form { Form(pairs: fields) }

    /// One part: its `Content-Disposition` names and its content.
    struct Part {
        var name: String
        /// nil for a text field.
        var fileName: String?
        var content: ArraySlice<UInt8>

        init(_ part: ArraySlice<UInt8>) throws {
            let blank: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
            let window = part.prefix(MultipartForm.maxHeaderBytes + blank.count)
            guard let end = MultipartForm.find(blank, in: window, from: window.startIndex),
                let head = String(validating: part[part.startIndex..<end], as: UTF8.self)
            else { throw AppError.badRequest }
            content = part[(end + blank.count)...]
            var disposition: String?
            for line in head.split(separator: "\r\n", omittingEmptySubsequences: false) {
                guard let colon = line.firstIndex(of: ":") else { throw AppError.badRequest }
                if line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" {
                    disposition = String(line[line.index(after: colon)...])
                }
            }
            guard let disposition, !disposition.contains("\u{0}") else { throw AppError.badRequest }
            let parameters = MultipartForm.parameters(disposition)
            guard parameters.first?.0.lowercased() == "form-data", let name = parameters.first(where: { $0.0.lowercased() == "name" })?.1
            else { throw AppError.badRequest }
            self.name = name
            if let encoded = parameters.first(where: { $0.0.lowercased() == "filename*" })?.1 {
                guard encoded.lowercased().hasPrefix("utf-8''"), let decoded = encoded.dropFirst(7).removingPercentEncoding else {
                    throw AppError.badRequest
                }
                fileName = MultipartForm.lastPathPart(decoded)
            } else if let plain = parameters.first(where: { $0.0.lowercased() == "filename" })?.1 {
                // Browsers send a quote in a name as %22 (the HTML standard).
                fileName = MultipartForm.lastPathPart(plain.replacingOccurrences(of: "%22", with: "\""))
            }
        }
    }

    /// A header value's parts: the first as ("value", ""), then each
    /// `key=value` or `key="quoted \"value\""`; a broken quote ends the list.
    static func parameters(_ header: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var chars = Substring(header)
        func skipSpace() { chars = chars.drop { $0 == " " || $0 == "\t" } }
        skipSpace()
        let first = chars.prefix { $0 != ";" }
        result.append((first.trimmingCharacters(in: .whitespaces), ""))
        chars = chars.dropFirst(first.count)
        while chars.first == ";" {
            chars = chars.dropFirst()
            skipSpace()
            let key = chars.prefix { $0 != "=" && $0 != ";" }
            chars = chars.dropFirst(key.count)
            guard chars.first == "=" else { continue }
            chars = chars.dropFirst()
            skipSpace()
            var value = ""
            if chars.first == "\"" {
                chars = chars.dropFirst()
                var closed = false
                while let c = chars.first {
                    chars = chars.dropFirst()
                    // `\"` and `\\` are escapes; any other backslash is itself
                    // (browsers send Windows paths unescaped).
                    if c == "\\", let next = chars.first, next == "\"" || next == "\\" {
                        value.append(next)
                        chars = chars.dropFirst()
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { return result }
                chars = chars.drop { $0 != ";" }
            } else {
                let raw = chars.prefix { $0 != ";" }
                value = raw.trimmingCharacters(in: .whitespaces)
                chars = chars.dropFirst(raw.count)
            }
            result.append((key.trimmingCharacters(in: .whitespaces), value))
        }
        return result
    }

    static func lastPathPart(_ name: String) -> String {
        String(name.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.last ?? "")
    }

    static func matches(_ body: [UInt8], _ bytes: [UInt8], at offset: Int) -> Bool {
        offset >= 0 && offset <= body.count - bytes.count && body[offset..<offset + bytes.count].elementsEqual(bytes)
    }

    /// Where `needle` first starts in `haystack` at or after `from` (memchr
    /// finds each candidate first byte: a 25 MiB body is read quickly).
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int) -> Int? {
        guard let first = needle.first else { return nil }
        let start = max(from, haystack.startIndex)
        guard start <= haystack.endIndex - needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var i = start - haystack.startIndex
            let last = buffer.count - needle.count
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if buffer[i..<i + needle.count].elementsEqual(needle) { return haystack.startIndex + i }
                i += 1
            }
            return nil
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? { find(needle, in: haystack[...], from: from) }
}

/// The JSON API's upload: the file's raw bytes as the body
/// (`Content-Type: application/octet-stream`), its name in `?name=`
/// (percent-encoded UTF-8). No form and no CSRF token: a cross-site page
/// cannot send this content type without the browser asking first (CORS),
/// which this server never allows.
package enum RawFileBody {
    package static func isOctetStream(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/octet-stream") ?? false
    }

    /// The name and the bytes, up to `maxBytes` (more is 413
    /// `file_too_large`); another content type is 415. The name is not
    /// checked here: `FilePolicy.check` does it, as for any upload.
    package static func read(_ request: Request, maxBytes: Int) async throws -> (name: String, bytes: Data) {
        guard isOctetStream(request) else { throw AppError.unsupportedMediaType }
        let name = try self.name(query: request.uri.query)
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBytes) } catch { throw FileRefusal.tooLarge.appError }
        return (name, Data(buffer.readableBytesView))
    }

    /// `name` from a query string; a missing or badly encoded one is 400 `file_bad_name`.
    package static func name(query: String?) throws -> String {
        for pair in (query ?? "").split(separator: "&") where pair.hasPrefix("name=") {
            guard let name = pair.dropFirst(5).removingPercentEncoding else { break }
            return name
        }
        throw FileRefusal.badName.appError
    }
}
