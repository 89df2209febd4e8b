import CompressNIO
import Crypto
import Foundation
import Hummingbird

/// Static files (CSS, JavaScript, icons) read once at start-up, each served at
/// `/static/<content hash>/<name>` so it can be cached for a year, and kept
/// gzip-compressed as well for browsers that accept it.
package struct Assets: Sendable {
    struct Asset: Sendable {
        let contentType: String
        let plain: ByteBuffer
        let gzip: ByteBuffer?
        let hash: String
    }

    private let files: [String: Asset]

    package init(directory: URL) throws {
        var files: [String: Asset] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names where !name.hasPrefix(".") {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            var plain = ByteBuffer(bytes: data)
            let hash = SHA256.hash(data: data).prefix(6).map { String(format: "%02x", $0) }.joined()
            var copy = plain
            let gzip = data.count > 512 ? try? copy.compress(with: .gzip()) : nil
            plain = ByteBuffer(bytes: data)
            files[name] = Asset(contentType: Self.contentType(of: name), plain: plain, gzip: gzip, hash: hash)
        }
        self.files = files
    }

    /// The cache-busting URL of a file, e.g. `/static/3fa2c1d09e7b/app.css`.
    package func url(_ name: String) -> String {
        guard let asset = files[name] else { return "/static/missing/\(name)" }
        return "/static/\(asset.hash)/\(name)"
    }

    package func response(hash: String, name: String, acceptEncoding: String?) throws -> Response {
        guard let asset = files[name] else { throw AppError.notFound }
        var headers: HTTPFields = [
            .contentType: asset.contentType,
            .vary: "Accept-Encoding",
            .eTag: "\"\(asset.hash)\"",
        ]
        // An old hash still gets the file (a page cached during a deploy),
        // but only the current one may be cached for good.
        headers[.cacheControl] = hash == asset.hash ? "public, max-age=31536000, immutable" : "no-cache"
        if let gzip = asset.gzip, acceptEncoding?.lowercased().contains("gzip") == true {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzip))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.plain))
    }

    package static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension {
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "mp3": "audio/mpeg"
        default: "application/octet-stream"
        }
    }
}
