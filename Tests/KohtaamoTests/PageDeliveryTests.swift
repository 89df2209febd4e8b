import CompressNIO
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import KohtaamoBase

/// What a phone line feels: pages come gzipped, and a page's script names
/// every module it will import so the browser fetches them in one round
/// trip, each cached for good (issue 23, the client's chat on a poor line).
@Suite struct PageDeliveryTests {
    @Test func theChatPageComesGzippedAndPreloadsEveryModuleItImports() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            _ = try await b.get("/s/tukichat")
            let start = try await b.post("/chat/start/tukichat", [("nickname", "Kettu")])
            let chatPath = try #require(start.location)
            let plain = try await b.get(chatPath)
            #expect(plain.headers[.contentEncoding] == nil)
            let zipped = try await b.get(chatPath, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.vary] == "Accept-Encoding")
            var body = zipped.body
            let html = String(buffer: try body.decompress(with: .gzip()))
            #expect(zipped.body.readableBytes * 2 < plain.body.readableBytes)
            // The same page but for its masked CSRF token, which differs each time.
            let unmask = { (s: String) in s.replacing(/m\.[A-Za-z0-9_-]+/, with: "m.") }
            #expect(unmask(html) == unmask(plain.text))
            #expect(try await b.get(chatPath, headers: [.acceptEncoding: "gzip;q=0"]).headers[.contentEncoding] == nil)

            // Every module chat.js imports, however deep, is preloaded by its own hashed URL…
            let preloads = html.matches(of: /<link rel="modulepreload" href="([^"]+)">/).map { String($0.output.1) }
            let names = Set(preloads.map { String($0.split(separator: "/").last!) })
            #expect(names == ["realtime.js", "conversation.js", "quick-exit.js", "call-loader.js", "outbox.js"])
            // …chat.js imports exactly those URLs, and each is cached for a year.
            let script = try #require(html.firstMatch(of: /<script type="module" src="([^"]+)">/)).output.1
            let chat = try await b.get(String(script))
            for url in preloads {
                let name = url.split(separator: "/").last!
                if ["realtime.js", "conversation.js", "quick-exit.js", "call-loader.js"].contains(name) {
                    #expect(chat.text.contains("from \"\(url)\""), "chat.js imports \(name) by its hashed URL")
                }
                let module = try await b.get(url)
                #expect(module.status == .ok)
                // A file asks Accept-Encoding as a page does: `gzip;q=0` refuses gzip.
                let refused = try await b.get(url, headers: [.acceptEncoding: "gzip;q=0"])
                #expect(refused.headers[.contentEncoding] == nil && refused.text == module.text, "\(url)")
                let gzipped = try await b.get(url, headers: [.acceptEncoding: "gzip"])
                var packed = gzipped.body
                #expect(gzipped.headers[.contentEncoding] == "gzip", "\(url)")
                #expect(String(buffer: try packed.decompress(with: .gzip())) == module.text)
                #expect(module.headers[.cacheControl] == "public, max-age=31536000, immutable", "\(url)")
                // The call panel is loaded when needed, by its own hashed URL too.
                if name == "call-loader.js" {
                    let call = try #require(module.text.firstMatch(of: /import\("(\/static\/[0-9a-f]+\/call\.js)"\)/)).output.1
                    #expect(try await b.get(String(call)).headers[.cacheControl] == "public, max-age=31536000, immutable")
                    #expect(!preloads.contains(String(call)))
                }
            }
        }
    }

    /// An open support chat's page starts the chat itself (`chat-start.js`):
    /// it names the chat's script and every module that script imports, by
    /// the URLs the chat page uses, to fetch after `load`; it preloads
    /// nothing before, and its form still posts without JavaScript.
    @Test func theServicePageNamesTheChatsModulesToFetchAfterItsLoad() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let service = try await b.get("/s/tukichat").text
            let start = try await b.post("/chat/start/tukichat", [("nickname", "Kettu")])
            let chat = try await b.get(try #require(start.location)).text
            let chatScript = String(try #require(chat.firstMatch(of: /<script type="module" src="([^"]+)">/)).output.1)
            let chatPreloads = chat.matches(of: /<link rel="modulepreload" href="([^"]+)">/).map { String($0.output.1) }
            let form = try #require(service.firstMatch(of: /<form method="post" action="\/chat\/start\/tukichat"[^>]*>/)).output
            let modules = try #require(form.firstMatch(of: /data-modules="([^"]+)"/)).output.1.split(separator: " ").map(String.init)
            #expect(modules == [chatScript] + chatPreloads)
            #expect(form.contains(#"data-api="/api/support/tukichat/chats""#))
            #expect(!service.contains("modulepreload"))
            let own = String(try #require(service.firstMatch(of: /<script type="module" src="([^"]+)">/)).output.1)
            #expect(own.hasSuffix("/chat-start.js"))
            #expect(try await b.get(own).text.contains("import(\"\(chatScript)\")"))
        }
    }

    /// A live page opens its socket from an inline script (before its
    /// modules arrive), and the page's CSP allows that script by its hash
    /// and no other inline script.
    @Test func aLivePageOpensItsSocketEarlyUnderItsOwnPolicy() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let start = try await b.post("/chat/start/tukichat", [("nickname", "Kettu")])
            let chat = try await b.get(try #require(start.location))
            let inline = chat.text.matches(of: /<script>([^<]*)<\/script>/).map { String($0.output.1) }
            #expect(inline.count == 1)
            let script = try #require(inline.first)
            #expect(script.contains("/socket"))
            let hash = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
            let csp = try #require(chat.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self' 'sha256-\(hash)';"))
            #expect(!csp.contains("unsafe-inline"))
            // A page with nothing live has no inline script.
            #expect(!(try await b.get("/s/tukichat").text.contains("<script>")))
        }
    }

    @Test func acceptEncodingIsReadAsTheStandardSays() {
        #expect(Views.acceptsGzip("gzip"))
        #expect(Views.acceptsGzip("br, GZIP;q=0.5"))
        #expect(Views.acceptsGzip("*"))
        #expect(!Views.acceptsGzip("gzip;q=0"))
        #expect(!Views.acceptsGzip("identity"))
        #expect(!Views.acceptsGzip("deflate, br"))
    }
}
