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
    /// Each script's static imports, all the way down (for `modulepreload`).
    private let imports: [String: [String]]

    package init(directory: URL) throws {
        var sources: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasPrefix(".") {
            sources[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        // A module's imports are written `from "./x.js"`; served, they name
        // the file's own hashed URL, so every module is cached for a year
        // (a relative import would resolve under its importer's hash and be
        // revalidated on every visit). A module's hash covers its imports'.
        var direct: [String: [String]] = [:], later: [String: [String]] = [:]
        for (name, data) in sources where name.hasSuffix(".js") {
            let found = Self.imports(String(decoding: data, as: UTF8.self))
            direct[name] = found.static.filter { sources[$0] != nil }
            later[name] = found.dynamic.filter { sources[$0] != nil }
        }
        var files: [String: Asset] = [:]
        func add(_ name: String, visiting: Set<String>) {
            guard files[name] == nil, !visiting.contains(name), var data = sources[name] else { return }
            let deps = (direct[name] ?? []) + (later[name] ?? [])
            for dep in deps { add(dep, visiting: visiting.union([name])) }
            if !deps.isEmpty {
                var text = String(decoding: data, as: UTF8.self)
                for dep in deps {
                    guard let hash = files[dep]?.hash else { continue }
                    text = text.replacingOccurrences(of: "from \"./\(dep)\"", with: "from \"/static/\(hash)/\(dep)\"")
                    text = text.replacingOccurrences(of: "import(\"./\(dep)\")", with: "import(\"/static/\(hash)/\(dep)\")")
                }
                data = Data(text.utf8)
            }
            let hash = SHA256.hash(data: data).prefix(6).map { String(format: "%02x", $0) }.joined()
            var plain = ByteBuffer(bytes: data)
            let gzip = data.count > 512 ? try? plain.compress(with: .gzip()) : nil
            files[name] = Asset(contentType: Self.contentType(of: name), plain: ByteBuffer(bytes: data), gzip: gzip, hash: hash)
        }
        for name in sources.keys.sorted() { add(name, visiting: []) }
        self.files = files
        var all: [String: [String]] = [:]
        for name in direct.keys {
            var seen: [String] = []
            var queue = direct[name] ?? []
            while let next = queue.first {
                queue.removeFirst()
                if seen.contains(next) || next == name { continue }
                seen.append(next)
                queue += direct[next] ?? []
            }
            all[name] = seen
        }
        self.imports = all
    }

    /// The `./x.js` files a module imports: at the top (`import … from
    /// "./x.js"`, preloaded with the page) and when needed (`import("./x.js")`).
    static func imports(_ source: String) -> (static: [String], dynamic: [String]) {
        var top: [String] = [], needed: [String] = []
        for line in source.split(separator: "\n") {
            if line.hasPrefix("import "), let from = line.range(of: "from \"./"),
                let end = line[from.upperBound...].firstIndex(of: "\"")
            {
                top.append(String(line[from.upperBound..<end]))
            }
            var rest = line[...]
            while let call = rest.range(of: "import(\"./") {
                guard let end = rest[call.upperBound...].firstIndex(of: "\"") else { break }
                needed.append(String(rest[call.upperBound..<end]))
                rest = rest[end...]
            }
        }
        return (top, needed)
    }

    /// The cache-busting URL of a file, e.g. `/static/3fa2c1d09e7b/app.css`.
    package func url(_ name: String) -> String {
        guard let asset = files[name] else { return "/static/missing/\(name)" }
        return "/static/\(asset.hash)/\(name)"
    }

    /// The URLs of every module a page's script imports, however deep: the
    /// page names them all as `modulepreload`, so the browser fetches them
    /// at once instead of one level per round trip (a phone line's 400 ms each).
    package func preloads(ofScriptURL url: String) -> [String] {
        guard let name = url.split(separator: "/").last.map(String.init) else { return [] }
        return (imports[name] ?? []).map(self.url)
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
        if let gzip = asset.gzip, acceptEncoding.map(Views.acceptsGzip) == true {
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
