import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Random and mutated input, seeded so a failure can be run again: socket
/// frames (100,000 through the parser, more over a live socket) and JSON
/// bodies of the HTTP entry points. Nothing crashes, nothing answers 500,
/// and every refusal carries a code from the documented list.
@Suite struct FuzzTests {
    static let seeds: [String] = [
        #"{"t":"send","c":"C","id":"2f1e4b8a-3c5d-4e6f-8a9b-0c1d2e3f4a5b","body":"hei"}"#,
        #"{"t":"sync","c":"C","after":0}"#,
        #"{"t":"read","c":"C","seq":1}"#,
        #"{"t":"typing","c":"C"}"#,
        #"{"t":"signal","c":"C","to":"2f1e4b8a-3c5d-4e6f-8a9b-0c1d2e3f4a5b","data":{"sdp":"x"}}"#,
        #"{"t":"ping"}"#,
    ]
    /// Pieces that tend to find edges: types, numbers, escapes, invalid UTF-8.
    static let pieces: [[UInt8]] = [
        Array(#"\u0000"#.utf8), Array(#"\ud800"#.utf8), Array("null".utf8), Array("-1".utf8), Array("1e999".utf8),
        Array("9223372036854775808".utf8), Array(#"{"#.utf8), Array(#"}"#.utf8), Array(#"[]"#.utf8), Array(#"""#.utf8),
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], Array("\u{202E}".utf8), Array(String(repeating: "x", count: 5000).utf8),
        Array(#""t":"send""#.utf8), Array(#","c":"#.utf8), Array("true".utf8),
    ]

    static func mutate(_ input: [UInt8], _ r: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0...Int.random(in: 0...3, using: &r) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &r)
            switch Int.random(in: 0..<6, using: &r) {
            case 0: if !bytes.isEmpty { bytes[at] = UInt8.random(in: 0...255, using: &r) }
            case 1: if !bytes.isEmpty { bytes.remove(at: at) }
            case 2: bytes.insert(contentsOf: pieces.randomElement(using: &r)!, at: at)
            case 3: bytes = Array(bytes.prefix(at))
            case 4: bytes += bytes.prefix(Int.random(in: 0...min(bytes.count, 64), using: &r))
            default: bytes = (0..<Int.random(in: 0...40, using: &r)).map { _ in UInt8.random(in: 0...255, using: &r) }
            }
        }
        return bytes
    }

    @Test func hundredThousandFramesThroughTheParser() {
        var r = SplitMix64(seed: 20_261_124)
        let conversation = UUID().uuidString.lowercased()
        let valid = Self.seeds.map { Array($0.replacingOccurrences(of: "\"C\"", with: "\"\(conversation)\"").utf8) }
        var parsed = 0, refused = 0
        var codes = Set<String>()
        for i in 0..<100_000 {
            // Every tenth frame is a valid one, so the accepting side is reached too.
            let seed = valid.randomElement(using: &r)!
            switch FrameParser.parse(i % 10 == 0 ? seed : Self.mutate(seed, &r), limits: FrameLimits()) {
            case .success: parsed += 1
            case .failure(let error):
                refused += 1
                codes.insert(error.code)
            }
        }
        #expect(parsed + refused == 100_000)
        #expect(parsed > 1000 && refused > 10_000, "the mutations reach both sides")
        #expect(codes.isSubset(of: Set(FrameError.allCodes)), "undocumented codes: \(codes.subtracting(FrameError.allCodes))")
    }

    @Test func mutatedFramesOverALiveSocketAreAnsweredAndTheServerKeepsServing() async throws {
        try await withLiveApp { _, client, port in
            let pair = try await ChatPair.open(client)
            var r = SplitMix64(seed: 7)
            let valid = Self.seeds.map { Array($0.replacingOccurrences(of: "\"C\"", with: "\"\(pair.conversation)\"").utf8) }
            var codes = Set<String>()
            // Each socket is closed (1008) after 20 refusals; new ones keep coming.
            for _ in 0..<40 {
                let socket = TestSocket(port: port, cookie: pair.clientCookie)
                for _ in 0..<50 { socket.sendRaw(Self.mutate(valid.randomElement(using: &r)!, &r)) }
                socket.send(#"{"t":"ping"}"#)
                while let frame = await socket.next(timeout: .seconds(2)) {
                    if frame["t"] as? String == "error" { codes.insert(frame["code"] as? String ?? "<none>") }
                }
                socket.close()
            }
            #expect(codes.isSubset(of: Set(FrameError.allCodes)), "undocumented codes: \(codes.subtracting(FrameError.allCodes))")
            #expect(codes.count >= 4)
            let healthy = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthy.status == .ok)
            // The conversation still works for a well-behaved socket.
            let socket = TestSocket(port: port, cookie: pair.clientCookie)
            socket.send(sendFrame(pair.conversation, "vielä toimii"))
            #expect(await socket.next("ack") != nil)
            socket.close()
        }
    }

    @Test func mutatedJSONBodiesGetACodeNeverA500() async throws {
        try await withApp { _, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let chat = try await Browser(client).json(.post, "/api/support/tukichat/chats", nil)
            let c = (try JSONSerialization.jsonObject(with: Data(chat.text.utf8)) as! [String: Any])["conversation"] as! String
            let endpoints: [(HTTPRequest.Method, String, String)] = [
                (.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"demo-pass-123"}"#),
                (.post, "/api/support/tukichat/chats", #"{"nickname":"Kettu"}"#),
                (.post, "/api/shifts", #"{"services":["tukichat"]}"#),
                (.post, "/api/support/chats/\(c)/close", #"{"topics":[]}"#),
                (.post, "/api/support/chats/\(c)/transfer", #"{"service":"tukichat","note":"x"}"#),
            ]
            var r = SplitMix64(seed: 99)
            var statuses: [Int: Int] = [:]
            for i in 0..<2_000 {
                let (method, path, seed) = endpoints[i % endpoints.count]
                let body = Self.mutate(Array(seed.utf8), &r)
                let response = try await worker.json(method, path, bytes: body)
                statuses[response.status.code, default: 0] += 1
                #expect(response.status.code < 500, "\(path) \(String(decoding: body, as: UTF8.self))")
                if response.status.code >= 400 {
                    let object = try? JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
                    #expect(
                        (object?["code"] as? String)?.isEmpty == false && (object?["message"] as? String)?.isEmpty == false,
                        "\(path) answered \(response.status.code) without a code")
                }
            }
            #expect(statuses.keys.contains { $0 >= 400 })
        }
    }

    @Test func mutatedFormsGetAnErrorPageNeverA500() async throws {
        try await withApp { _, client in
            let browser = Browser(client, language: "en")
            _ = try await browser.get("/signin")
            var r = SplitMix64(seed: 3)
            let forms = [
                ("/signin", "email=worker1%40demo.invalid&password=demo-pass-123"), ("/chat/start/tukichat", "nickname=Kettu"),
                ("/signin", "email=a%00b%40demo.invalid&password=x"),
            ]
            for i in 0..<600 {
                let (path, seed) = forms[i % forms.count]
                let body = (i % forms.count == 2 ? Array(seed.utf8) : Self.mutate(Array(seed.utf8), &r)) + Array("&csrf=\(browser.csrf)".utf8)
                let response = try await client.execute(
                    uri: path, method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "k_csrf=\(browser.csrf)"],
                    body: ByteBuffer(bytes: body))
                #expect(response.status.code < 500, "\(path) \(String(decoding: body, as: UTF8.self))")
            }
        }
    }
}
