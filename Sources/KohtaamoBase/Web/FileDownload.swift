import Foundation
import HTTPTypes
import Hummingbird

/// The answer that hands a stored file to a browser. The type is the one
/// read from the bytes at upload (`FileKind`), never the one the uploader's
/// browser claimed; the browser may not guess another (`nosniff`); anything
/// but a raster image is saved, not shown; and should a browser show it
/// anyway, the sandbox lets it run nothing and load nothing.
package enum FileDownload {
    package static let contentSecurityPolicy = "default-src 'none'; sandbox"
    static let resourcePolicy = HTTPField.Name("Cross-Origin-Resource-Policy")!

    package static func response(name: String, kind: FileKind, data: Data) -> Response {
        let headers: HTTPFields = [
            .contentType: kind.mime,
            .contentDisposition: contentDisposition(name: kind.downloadName(for: name), inline: kind.inline),
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: contentSecurityPolicy,
            .cacheControl: "private, no-store",
            // Only this site's pages may embed it (an image in a thread).
            resourcePolicy: "same-origin",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// RFC 6266: `filename*` carries the name in UTF-8 (RFC 8187); `filename`
    /// is an ASCII stand-in for old clients, with anything that could end
    /// the quoted string or the header replaced.
    package static func contentDisposition(name: String, inline: Bool) -> String {
        let fallback = String(
            name.unicodeScalars.map { s -> Character in
                s.isASCII && s.value >= 0x20 && s.value != 0x7F && s != "\"" && s != "\\" ? Character(s) : "_"
            })
        return "\(inline ? "inline" : "attachment"); filename=\"\(fallback)\"; filename*=UTF-8''\(encode(name))"
    }

    /// RFC 8187 `attr-char` stays as it is; every other byte is `%XX`.
    static func encode(_ name: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        var out = ""
        for byte in name.utf8 {
            if allowed.contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }
}
