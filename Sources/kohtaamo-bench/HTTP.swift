import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The few HTTP calls the load generator makes, with cookies kept by hand
/// (each simulated person has their own).
struct HTTP: Sendable {
    let base: String
    let session: URLSession

    init(base: String) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    struct Reply {
        var status: Int
        var body: Data
        var cookies: [String: String]
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    func call(_ method: String, _ path: String, json: String? = nil, cookie: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var cookies: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            guard (name as? String)?.lowercased() == "set-cookie", let value = value as? String else { continue }
            // Several cookies may be folded into one header with commas.
            for part in value.components(separatedBy: ", k_") {
                let pair = (part.hasPrefix("k_") ? part : "k_" + part).split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            }
        }
        return Reply(status: http.statusCode, body: data, cookies: cookies)
    }

    /// Signs a staff member in; returns the Cookie header value.
    func signIn(_ email: String, password: String) async throws -> String {
        let r = try await call("POST", "/api/session", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
        guard r.status == 204, let token = r.cookies["k_session"] else { throw BenchError("sign-in of \(email) failed: \(r.status)") }
        return "k_session=\(token)"
    }

    /// Starts an anonymous chat; returns (conversation, Cookie header).
    func startChat(service: String) async throws -> (String, String) {
        let r = try await call("POST", "/api/support/\(service)/chats", json: #"{"nickname":"kuorma"}"#)
        guard r.status == 201, let c = r.json?["conversation"] as? String, let token = r.cookies["k_client"] else {
            throw BenchError("starting a chat failed: \(r.status) \(String(decoding: r.body, as: UTF8.self))")
        }
        return (c, "k_client=\(token)")
    }

    func waitHealthy(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let r = try? await call("GET", "/healthz"), r.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("the server did not answer /healthz in time")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
