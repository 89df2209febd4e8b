import Foundation
import Testing

@testable import KohtaamoBase
@testable import KohtaamoRealtime

/// The hand-written reading of the usual frames (`FrameScanner`) against
/// Foundation's decoder, which it stands in for: whatever the scanner
/// accepts, it reads exactly as the decoder does, and what it does not
/// accept is left to the decoder, so every refusal keeps its code.
@Suite struct FrameScannerTests {
    /// The fields as bytes: String's == would call canonically equivalent texts equal.
    static func bytes(_ f: Fields) -> [[UInt8]?] {
        [f.t, f.c, f.id, f.body, f.to].map { $0.map { Array(($0.value ?? "<nil>").utf8) } }
            + [f.after, f.seq].map { $0.map { Array(($0.value.map(String.init) ?? "<nil>").utf8) } }
    }

    static func decoded(_ bytes: [UInt8]) -> Fields? { try? JSONDecoder().decode(Fields.self, from: Data(bytes)) }

    @Test func mutatedFramesAreReadAsTheDecoderReadsThem() {
        var r = SplitMix64(seed: 20_261_205)
        let conversation = UUID().uuidString.lowercased()
        let seeds =
            FuzzTests.seeds + [
                #"{"t":"send","c":"C","id":"2f1e4b8a-3c5d-4e6f-8a9b-0c1d2e3f4a5b","body":"rivi\nrivi \"lainaus\" \\ \/ \u00e4\u20ac\t"}"#,
                #" { "t" : "sync" , "c" : "C" , "after" : 120 } "#,
            ]
        let valid = seeds.map { Array($0.replacingOccurrences(of: "\"C\"", with: "\"\(conversation)\"").utf8) }
        var scanned = 0
        for i in 0..<100_000 {
            let frame = i % 10 == 0 ? valid.randomElement(using: &r)! : FuzzTests.mutate(valid.randomElement(using: &r)!, &r)
            guard String(validating: frame, as: UTF8.self) != nil, let fields = FrameScanner.fields(frame) else { continue }
            scanned += 1
            let reference = Self.decoded(frame)
            #expect(reference != nil, "the decoder refuses what the scanner read: \(String(decoding: frame, as: UTF8.self))")
            if let reference {
                #expect(Self.bytes(fields) == Self.bytes(reference), "\(String(decoding: frame, as: UTF8.self))")
            }
        }
        #expect(scanned > 10_000, "the fuzz reaches the scanner's side")
    }

    @Test func theUsualFramesAreScannedAndTheOddOnesLeftToTheDecoder() {
        let c = UUID().uuidString.lowercased()
        let id = UUID().uuidString.lowercased()
        let scanned = [
            #"{"t":"send","c":"\#(c)","id":"\#(id)","body":"hei"}"#,
            #"{"body":"hei","id":"\#(id)","c":"\#(c)","t":"send"}"#,
            #"{"t":"sync","c":"\#(c)","after":0}"#,
            #"{"t":"read","c":"\#(c)","seq":123456789012345678}"#,
            #"{"t":"typing","c":"\#(c)"}"#,
            "{}",
            #"{"t":"send","body":"\u0000\u00e4\u3000"}"#,
        ]
        for frame in scanned {
            let fields = FrameScanner.fields(Array(frame.utf8))
            #expect(fields != nil, "\(frame)")
            #expect(fields.map(Self.bytes) == Self.decoded(Array(frame.utf8)).map(Self.bytes), "\(frame)")
        }
        let left = [
            #"{"t":"send","t":"sync"}"#,  // a key twice
            #"{"t":"sync","after":1.0}"#, #"{"t":"sync","after":1e2}"#, #"{"t":"sync","after":-1}"#,
            #"{"t":"sync","after":01}"#, #"{"t":"sync","after":1234567890123456789}"#,
            #"{"t":"sync","after":"1"}"#, #"{"t":5}"#, #"{"t":null}"#, #"{"t":"send","body":{}}"#,
            #"{"t":"signal","data":{"sdp":"x"}}"#,  // a key it does not know
            #"{"t":"send","body":"\ud83d\ude00"}"#, #"{"t":"send","body":"\ud800"}"#,  // surrogate escapes
            #"{"t":"send","body":"\x"}"#, #"{"t":"send","body":"\u12"}"#, "{\"t\":\"a\u{01}\"}",
            #"{"t":"send",}"#, #"{"t":"send"} x"#, #"{"t":"send""#, "[1,2]", "", "{", #"{"\u0074":"send"}"#,
        ]
        for frame in left { #expect(FrameScanner.fields(Array(frame.utf8)) == nil, "\(frame)") }
    }

    /// Through the whole parser: the scanned path gives the frames and codes the decoder's did.
    @Test func parsedFramesAndCodesAreTheDecodersOnes() {
        let c = UUID()
        let id = UUID()
        let limits = FrameLimits()
        func parse(_ s: String) -> Result<ClientFrame, FrameError> { FrameParser.parse(Array(s.utf8), limits: limits) }
        let cl = c.uuidString.lowercased()
        #expect(parse(#"{"t":"send","c":"\#(cl)","id":"\#(id)","body":"a\nb \u00e4"}"#) == .success(.send(conversation: c, id: id, body: "a\nb ä")))
        #expect(parse(#"{"t":"sync","c":"\#(cl)","after":7}"#) == .success(.sync(conversation: c, after: 7)))
        #expect(parse(#"{"t":"read","c":"\#(cl)","seq":0}"#) == .success(.read(conversation: c, seq: 0)))
        #expect(parse(#"{"t":"typing","c":"\#(cl)"}"#) == .success(.typing(conversation: c)))
        #expect(parse(#"{"t":"send","c":"\#(cl)","id":"\#(id)","body":"\t\n\u00a0\u3000"}"#) == .failure(FrameError("empty_body", id: id)))
        #expect(parse(#"{"t":"send","c":"nope","id":"\#(id)","body":"x"}"#) == .failure(FrameError("bad_conversation", id: id)))
        #expect(parse(#"{"t":"send","c":"\#(cl)","id":"42","body":"x"}"#) == .failure(FrameError("bad_id")))
        #expect(parse(#"{"t":"send","c":"\#(cl)","id":"\#(id)"}"#) == .failure(FrameError("bad_body", id: id)))
        #expect(parse(#"{"c":"\#(cl)"}"#) == .failure(FrameError("missing_type")))
        #expect(parse(#"{"t":"dance","c":"\#(cl)"}"#) == .failure(FrameError("unknown_type")))
        #expect(parse(#"{"t":"sync","c":"\#(cl)"}"#) == .failure(FrameError("bad_after")))
        #expect(parse(#"{"t":"read","c":"\#(cl)","seq":1.5}"#) == .failure(FrameError("bad_seq")))
        #expect(parse(#"{"t":"signal","c":"\#(cl)","to":"nobody"}"#) == .failure(FrameError("bad_to")))
        #expect(parse("{}") == .failure(FrameError("missing_type")))
        #expect(parse("{not json") == .failure(FrameError("bad_json")))
        #expect(FrameParser.parse([0x7B, 0xFF, 0x7D], limits: limits) == .failure(FrameError("invalid_utf8")))
    }
}
