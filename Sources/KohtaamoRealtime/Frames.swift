import Foundation

/// A frame from a client, validated. Anything else is a `FrameError`.
package enum ClientFrame: Sendable, Equatable {
    case send(conversation: UUID, id: UUID, body: String)
    case sync(conversation: UUID, after: Int64)
    case read(conversation: UUID, seq: Int64)
    case typing(conversation: UUID)
    /// `data` is kept as the JSON text it came in; the server never reads it.
    case signal(conversation: UUID, to: Identity, data: String)

    package var conversation: UUID {
        switch self {
        case .send(let c, _, _), .sync(let c, _), .read(let c, _), .typing(let c), .signal(let c, _, _): c
        }
    }
}

/// Why a frame was refused: `code` is stable (see docs/protocol.md); the
/// human message comes from the catalogues (`socket_<code>`).
package struct FrameError: Error, Sendable, Equatable {
    package var code: String
    /// The client message id, when the refused frame was a `send` with one.
    package var id: UUID?
    /// For `rate_limited`: when to try again, in milliseconds.
    package var retryAfterMs: Int?

    package init(_ code: String, id: UUID? = nil, retryAfterMs: Int? = nil) {
        self.code = code
        self.id = id
        self.retryAfterMs = retryAfterMs
    }

    /// Every code a socket can answer with, for the docs and the catalogue test.
    package static let allCodes = [
        "too_large", "invalid_utf8", "bad_json", "missing_type", "unknown_type", "bad_conversation",
        "bad_id", "bad_body", "empty_body", "body_too_long", "bad_after", "bad_seq", "bad_to", "bad_data",
        "binary_frame", "not_participant", "closed", "muted", "rate_limited", "unavailable", "removed_from_call",
    ]
}

package struct FrameLimits: Sendable {
    /// Bytes of one frame (default 16 KiB).
    package var frameBytes = 16 * 1024
    /// Unicode code points of a message body (default 4,000).
    package var bodyCharacters = 4000
    package init() {}
}

package enum FrameParser {
    package static func parse(_ bytes: [UInt8], limits: FrameLimits) -> Result<ClientFrame, FrameError> {
        guard bytes.count <= limits.frameBytes else { return .failure(FrameError("too_large")) }
        guard String(validating: bytes, as: UTF8.self) != nil else { return .failure(FrameError("invalid_utf8")) }
        // The usual flat frame is scanned by hand; anything else is decoded
        // (anything but a JSON object fails to decode as `Fields`).
        guard let fields = FrameScanner.fields(bytes) ?? (try? JSONDecoder().decode(Fields.self, from: Data(bytes))) else {
            return .failure(FrameError("bad_json"))
        }
        guard let type = fields.t?.value else { return .failure(FrameError("missing_type")) }
        func uuid(_ field: Lenient<String>?) -> UUID? { field?.value.flatMap { UUID(text: $0) } }
        func integer(_ field: Lenient<Int64>?) -> Int64? { field?.value.flatMap { $0 >= 0 ? $0 : nil } }
        let knownTypes = ["send", "sync", "read", "typing", "signal"]
        guard knownTypes.contains(type) else { return .failure(FrameError("unknown_type")) }
        guard let c = uuid(fields.c) else {
            return .failure(FrameError("bad_conversation", id: type == "send" ? uuid(fields.id) : nil))
        }
        switch type {
        case "send":
            guard let id = uuid(fields.id) else { return .failure(FrameError("bad_id")) }
            guard let body = fields.body?.value else { return .failure(FrameError("bad_body", id: id)) }
            if body.unicodeScalars.count > limits.bodyCharacters { return .failure(FrameError("body_too_long", id: id)) }
            // Only white space (Unicode's White_Space: the same as `.whitespacesAndNewlines`).
            if body.unicodeScalars.allSatisfy(\.properties.isWhitespace) { return .failure(FrameError("empty_body", id: id)) }
            return .success(.send(conversation: c, id: id, body: body))
        case "sync":
            guard let after = integer(fields.after) else { return .failure(FrameError("bad_after")) }
            return .success(.sync(conversation: c, after: after))
        case "read":
            guard let seq = integer(fields.seq) else { return .failure(FrameError("bad_seq")) }
            return .success(.read(conversation: c, seq: seq))
        case "typing":
            return .success(.typing(conversation: c))
        default:  // signal
            guard let to = fields.to?.value.flatMap(Identity.init) else { return .failure(FrameError("bad_to")) }
            // `data` is any JSON value; only a signal needs it, so only a signal reads the frame twice.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
                let payload = object["data"], !(payload is NSNull),
                let json = try? JSONSerialization.data(withJSONObject: payload, options: [.fragmentsAllowed])
            else {
                return .failure(FrameError("bad_data"))
            }
            return .success(.signal(conversation: c, to: to, data: String(decoding: json, as: UTF8.self)))
        }
    }
}

/// The fields a client frame may have; a field of the wrong type reads as absent.
package struct Fields: Decodable, Equatable {
    var t: Lenient<String>?
    var c: Lenient<String>?
    var id: Lenient<String>?
    var body: Lenient<String>?
    var after: Lenient<Int64>?
    var seq: Lenient<Int64>?
    var to: Lenient<String>?
}

struct Lenient<T: Decodable & Equatable>: Decodable, Equatable {
    let value: T?
    init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
    init(_ value: T?) { self.value = value }
}

/// Frames the server sends. Encoded by hand into compact JSON: they are the hot path.
package enum ServerFrame: Sendable {
    case ack(id: UUID, conversation: UUID, seq: Int64, atMs: Int64)
    /// `mine` marks the recipient's own messages (their other tabs, after a reload).
    case msg(StoredMessage, mine: Bool = false)
    case synced(conversation: UUID, seq: Int64)
    case error(FrameError, message: String)
    case typing(conversation: UUID, from: Sender)
    case read(conversation: UUID, from: Sender, seq: Int64)
    /// In a room: `count` participants have read up to `seq` (`RoomReads`);
    /// `you`: whether the recipient is one of them, so a client knows
    /// whether anyone else has read its messages up to `seq`.
    case seen(conversation: UUID, seq: Int64, count: Int, you: Bool)
    case signal(conversation: UUID, from: Identity, name: String, data: String)
    /// A feature's own event (queue position, chat state…): `t` and fields as JSON.
    case event(type: String, conversation: UUID?, fieldsJSON: String)
    /// A frame already encoded (by another node).
    case raw(String)

    package var json: String {
        switch self {
        case .ack(let id, let c, let seq, let at):
            return #"{"t":"ack","id":"\#(lower(id))","c":"\#(lower(c))","seq":\#(seq),"at":"\#(Self.timestamp(at))"}"#
        case .msg(let m, let mine):
            return
                #"{"t":"msg","c":"\#(lower(m.conversation))","seq":\#(m.seq),"id":"\#(lower(m.clientID))","from":\#(Self.sender(m.from)),"body":\#(Self.string(m.body)),"at":"\#(Self.timestamp(m.atMs))"\#(mine ? #","mine":true"# : "")\#(m.removed ? #","removed":true"# : "")}"#
        case .synced(let c, let seq):
            return #"{"t":"synced","c":"\#(lower(c))","seq":\#(seq)}"#
        case .error(let e, let message):
            var s = #"{"t":"error","code":"\#(e.code)","message":\#(Self.string(message))"#
            if let id = e.id { s += #","id":"\#(lower(id))""# }
            if let ms = e.retryAfterMs { s += #","retryAfter":\#(ms)"# }
            return s + "}"
        case .typing(let c, let from):
            return #"{"t":"typing","c":"\#(lower(c))","from":\#(Self.sender(from))}"#
        case .read(let c, let from, let seq):
            return #"{"t":"read","c":"\#(lower(c))","from":\#(Self.sender(from)),"seq":\#(seq)}"#
        case .seen(let c, let seq, let count, let you):
            return #"{"t":"seen","c":"\#(lower(c))","seq":\#(seq),"count":\#(count),"you":\#(you)}"#
        case .signal(let c, let from, let name, let data):
            return #"{"t":"signal","c":"\#(lower(c))","from":"\#(from)","name":\#(Self.string(name)),"data":\#(data)}"#
        case .raw(let json):
            return json
        case .event(let type, let c, let fields):
            let inner = fields.dropFirst().dropLast()  // fields is a JSON object; splice its members
            let conv = c.map { #","c":"\#(lower($0))""# } ?? ""
            return #"{"t":\#(Self.string(type))\#(conv)\#(inner.isEmpty ? "" : ",")\#(inner)}"#
        }
    }

    private func lower(_ id: UUID) -> String { id.text() }

    package static func sender(_ s: Sender) -> String { #"{"name":\#(string(s.name)),"role":\#(string(s.role.rawValue))}"# }

    /// A JSON string literal.
    package static func string(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Line and paragraph separators break some JS parsers; escape them too.
            case "\u{2028}", "\u{2029}": out += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// RFC 3339 in UTC with milliseconds: 2026-11-24T08:15:02.123Z.
    package static func timestamp(_ ms: Int64) -> String {
        var seconds = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Written digit by digit: String(format:) was a visible part of the send path's CPU.
        var out = [UInt8]()
        out.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2); out.append(UInt8(ascii: "."))
        digits(Int(ms % 1000), 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
