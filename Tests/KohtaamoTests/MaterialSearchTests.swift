import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Materials

/// Finnish (and Swedish and English) word forms in the bank's search,
/// measured on a fixed set on whichever database the suite runs on, and
/// printed: which query found which material. What each database promises
/// (`MaterialSearch`):
/// - SQLite FTS5 (no Finnish stemmer): every query word is a prefix, so a
///   base form finds its inflections, an inflected form finds only itself;
/// - PostgreSQL: each material is stemmed with its language's Snowball
///   stemmer, so inflections find each other where the stemmer joins them.
@Suite struct MaterialSearchTests {
    /// Each title holds one form only.
    static let set: [(title: String, language: String)] = [
        ("Digituki kirjastossa", "fi"),
        ("Kirjasto auttaa", "fi"),
        ("Pankkitunnukset ja turvallisuus", "fi"),
        ("Kirjaudu pankkitunnuksilla", "fi"),
        ("Hjälp på biblioteket", "sv"),
        ("Using the libraries", "en"),
    ]

    static let queries = ["kirjasto", "kirjastossa", "pankkitunnukset", "pankkitunnuksilla", "bibliotek", "library"]

    /// What each database finds for each query.
    static let expected: [Storage.Kind: [String: Set<String>]] = [
        .sqlite: [
            "kirjasto": ["Digituki kirjastossa", "Kirjasto auttaa"],
            "kirjastossa": ["Digituki kirjastossa"],
            "pankkitunnukset": ["Pankkitunnukset ja turvallisuus"],
            "pankkitunnuksilla": ["Kirjaudu pankkitunnuksilla"],
            "bibliotek": ["Hjälp på biblioteket"],
            "library": [],
        ],
        .postgres: [
            "kirjasto": ["Digituki kirjastossa", "Kirjasto auttaa"],
            "kirjastossa": ["Digituki kirjastossa", "Kirjasto auttaa"],
            "pankkitunnukset": ["Pankkitunnukset ja turvallisuus", "Kirjaudu pankkitunnuksilla"],
            "pankkitunnuksilla": ["Pankkitunnukset ja turvallisuus", "Kirjaudu pankkitunnuksilla"],
            "bibliotek": ["Hjälp på biblioteket"],
            "library": ["Using the libraries"],
        ],
    ]

    @Test func finnishWordFormsAreFoundAsEachDatabasePromises() async throws {
        try await withApp { app, client in
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            for (title, language) in Self.set {
                let body =
                    #"{"title":"\#(title)","url":"https://example.org/\#(Self.set.firstIndex { $0.title == title }!)","audiences":["staff"],"languages":["\#(language)"],"visibility":"network"}"#
                #expect(try await w.json(.post, "/api/materials", body).status == .created)
            }
            let titles = Set(Self.set.map(\.title))
            var found: [String: Set<String>] = [:]
            for q in Self.queries {
                let r = try await w.get("/api/materials?q=\(Browser.encode(q))")
                let list = try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [[String: Any]])
                found[q] = Set(list.compactMap { $0["title"] as? String }).intersection(titles)
                print("material search on \(app.storage.kind.rawValue): \"\(q)\" found \(found[q]!.sorted())")
            }
            #expect(found == Self.expected[app.storage.kind])
        }
    }

    @Test func passagesAreEscapedAndOnlyTheMarksBecomeHTML() {
        let o = MaterialSearch.open, c = MaterialSearch.close
        #expect(MaterialSearch.html("<b>\(o)kirjasto\(c)</b> & \"x\"") == "&lt;b&gt;<mark>kirjasto</mark>&lt;/b&gt; &amp; &quot;x&quot;")
        // A mark without its pair opens nothing that stays open.
        #expect(MaterialSearch.html("\(c)a\(o)b") == "a<mark>b</mark>")
        #expect(MaterialSearch.marked("\(o)kirjasto\(c) ja \(o)digi\(c)") == ["kirjasto", "digi"])
        // Words of a query are letters and digits only: nothing is FTS5 syntax.
        #expect(MaterialSearch.fts5(MaterialSearch.words("\"kirjasto\" OR NEAR(a*) -x")) == #""kirjasto"* "or"* "near"* "a"* "x"*"#)
        #expect(MaterialSearch.indexable("a\(o)b\u{1}") == "a b ")
    }

    @Test func thePDFReaderFindsTheTextOfACompressedPage() {
        let pdf = MiniPDF.make(["Digitukijan muistilista", "Älä kirjoita tunnuslukuja (koskaan)."])
        #expect(FileKind.sniff(pdf) == .pdf)
        let text = PDFText.extract(pdf)
        #expect(text.contains("Digitukijan muistilista") && text.contains("Älä kirjoita tunnuslukuja (koskaan)."))
        // Damaged or lying bytes give nothing, never a crash.
        #expect(PDFText.extract(Data("%PDF-1.4\nstream\nxx".utf8)) == "")
        #expect(PDFText.extract(Data("%PDF-1.4\n<< /Filter /FlateDecode >>\nstream\nnot zlib\nendstream".utf8)) == "")
    }
}
