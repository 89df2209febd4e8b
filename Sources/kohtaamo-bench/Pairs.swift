import Foundation

/// Anonymous clients each in a support chat taken by a demo worker (three
/// chats a worker): the shape of load the support chat sees.
struct Pairs {
    struct Pair: Sendable {
        var conversation: String
        var clientCookie: String
        var worker: Int
    }
    var pairs: [Pair]
    var workerCookies: [String]

    static let chatsPerWorker = 3

    static func workersNeeded(_ pairs: Int) -> Int { (pairs + chatsPerWorker - 1) / chatsPerWorker }

    /// For the bare relay: conversations are just ids, nobody signs in.
    static func bare(count: Int) -> Pairs {
        let pairs = (0..<count).map { i in Pair(conversation: UUID().uuidString.lowercased(), clientCookie: "", worker: i / chatsPerWorker) }
        return Pairs(pairs: pairs, workerCookies: Array(repeating: "", count: workersNeeded(count)))
    }

    static func setUp(http: HTTP, count: Int, password: String, service: String = "tukichat") async throws -> Pairs {
        var workers: [String] = []
        for n in 1...workersNeeded(count) {
            let cookie = try await http.signIn("worker\(n)@demo.invalid", password: password)
            let shift = try await http.call("POST", "/api/shifts", json: #"{"services":["\#(service)"]}"#, cookie: cookie)
            guard shift.status == 204 else { throw BenchError("shift for worker\(n) failed: \(shift.status)") }
            workers.append(cookie)
        }
        var pairs: [Pair] = []
        for i in 0..<count {
            let (c, cookie) = try await http.startChat(service: service)
            let worker = i / chatsPerWorker
            let taken = try await http.call("POST", "/api/support/chats/\(c)/take", cookie: workers[worker])
            guard taken.status == 200 else { throw BenchError("take failed: \(taken.status) \(String(decoding: taken.body, as: UTF8.self))") }
            pairs.append(Pair(conversation: c, clientCookie: cookie, worker: worker))
        }
        return Pairs(pairs: pairs, workerCookies: workers)
    }
}

func socketURL(_ base: String) -> String {
    base.replacingOccurrences(of: "http://", with: "ws://").replacingOccurrences(of: "https://", with: "wss://") + "/socket"
}

func sendJSON(_ c: String, _ id: String, _ body: String) -> String {
    #"{"t":"send","c":"\#(c)","id":"\#(id)","body":"\#(body)"}"#
}
