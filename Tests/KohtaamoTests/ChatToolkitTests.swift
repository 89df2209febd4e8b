import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// What a worker has at hand in a chat: topic tags per service (checked at
/// closing), ready-made replies (the service's and their own) and the
/// service's referral cards, which clients also see.
@Suite struct ChatToolkitTests {
    func worker(_ client: any TestClientProtocol, _ email: String) async throws -> Browser {
        let b = Browser(client, language: "en")
        try await b.signIn(email)
        #expect(try await b.json(.post, "/api/shifts", #"{"services":["tukichat"]}"#).status == .noContent)
        return b
    }

    /// A waiting chat taken by `w`; returns its id.
    func takenChat(_ client: any TestClientProtocol, by w: Browser, language: String = "fi") async throws -> String {
        let r = try await Browser(client, language: language).json(.post, "/api/support/tukichat/chats", nil)
        let c = (try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any])["conversation"] as! String
        let taken = try await w.json(.post, "/api/support/chats/\(c)/take", nil)
        #expect(taken.status == .ok)
        #expect(taken.text.contains(#""language":"\#(language)""#))
        return c
    }

    /// The console's data for its script, as the page carries it.
    func kit(_ w: Browser) async throws -> [String: Any] {
        let page = try await w.get("/console").text
        let attribute = page.components(separatedBy: #"data-kit=""#)[1].components(separatedBy: "\"")[0]
        let json = attribute.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    func tukichat(_ app: Kohtaamo) async throws -> UUID { try await app.network.repository.service(slug: "tukichat")!.id }

    @Test func topicsAreAListPerServiceAndClosingAcceptsOnlyThose() async throws {
        try await withApp { app, client in
            let service = try await tukichat(app)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            // A service starts with the default list.
            let page = try await coordinator.get("/admin/services/\(service.uuidString)/topics")
            #expect(page.status == .ok)
            #expect(page.text.contains("loneliness"))
            let bad = try await coordinator.post(
                "/admin/services/\(service.uuidString)/topics", [("labelFi", ""), ("labelSv", ""), ("labelEn", "x")])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("The Finnish name is needed"))
            let added = try await coordinator.post(
                "/admin/services/\(service.uuidString)/topics",
                [("labelFi", "kiusaaminen"), ("labelSv", "mobbning"), ("labelEn", "bullying")])
            #expect(added.status == .seeOther)
            let duplicate = try await coordinator.post(
                "/admin/services/\(service.uuidString)/topics", [("labelFi", "Kiusaaminen"), ("labelSv", ""), ("labelEn", "")])
            #expect(duplicate.text.contains("already on the list"))
            let bullying = try await app.chat.service.toolkit.topics(service: service).first { $0.labels.fi == "kiusaaminen" }!.id.uuidString
                .lowercased()

            let w = try await worker(client, "worker1@demo.invalid")
            let services = try await kit(w)["services"] as! [String: Any]
            let topics = (services["tukichat"] as! [String: Any])["topics"] as! [[String: String]]
            #expect(topics.contains { $0["label"] == "bullying" && $0["id"] == bullying })
            let first = try await takenChat(client, by: w)
            #expect(errorCode(try await w.json(.post, "/api/support/chats/\(first)/close", #"{"topics":["\#(UUID().uuidString)"]}"#)) == "bad_topics")
            #expect(errorCode(try await w.json(.post, "/api/support/chats/\(first)/close", #"{"topics":["other"]}"#)) == "bad_topics")
            #expect(try await w.json(.post, "/api/support/chats/\(first)/close", #"{"topics":["\#(bullying)"]}"#).status == .noContent)
            let stored = try await app.storage.sql.select().column("topics").from("support_chats")
                .where("conversation_id", .equal, UUID(uuidString: first)!).first()!.decode(column: "topics", as: String.self)
            #expect(stored == bullying)

            // Taken off the list: no longer offered or accepted; the closed chat keeps it.
            #expect(try await coordinator.post("/admin/services/\(service.uuidString)/topics/\(bullying)/remove").status == .seeOther)
            #expect(!(try await coordinator.get("/admin/services/\(service.uuidString)/topics").text.contains("bullying")))
            let second = try await takenChat(client, by: w)
            #expect(errorCode(try await w.json(.post, "/api/support/chats/\(second)/close", #"{"topics":["\#(bullying)"]}"#)) == "bad_topics")
            #expect(try await app.chat.service.toolkit.topics(service: service).contains { $0.labels.fi == "kiusaaminen" && $0.archived })
            // Workers do not manage the list.
            #expect(try await w.get("/admin/services/\(service.uuidString)/topics").status == .forbidden)
        }
    }

    @Test func readyRepliesOfTheServiceAndOwnOnesReachTheConsoleInTheChatsLanguage() async throws {
        try await withApp { app, client in
            let service = try await tukichat(app)
            let base = "/admin/services/\(service.uuidString)/replies"
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get(base).text.contains("Nothing here yet."))
            let bad = try await coordinator.post(base, [("id", ""), ("language", "de"), ("title", ""), ("body", "")])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Choose a language from the list.") && bad.text.contains("Write a title"))
            #expect(try await app.chat.service.toolkit.replies.cards(owners: [service]).isEmpty)
            #expect(
                try await coordinator.post(
                    base, [("id", ""), ("language", "fi"), ("title", "Tervetuloa"), ("body", "Hei! Olen täällä sinua varten.")]
                ).status == .seeOther)
            #expect(
                try await coordinator.post(base, [("id", ""), ("language", "sv"), ("title", "Välkommen"), ("body", "Hej! Jag är här för dig.")])
                    .status == .seeOther)
            let welcome = try await app.chat.service.toolkit.replies.cards(owners: [service]).first { $0.title == "Tervetuloa" }!
            // Edit keeps the card; an unknown id is refused, not added.
            #expect(
                try await coordinator.post(
                    base, [("id", welcome.id.uuidString), ("language", "fi"), ("title", "Tervetuloa"), ("body", "Hei! Kiva että kirjoitit.")]
                ).status == .seeOther)
            #expect(
                try await coordinator.post(base, [("id", UUID().uuidString), ("language", "fi"), ("title", "X"), ("body", "Y")]).status == .notFound)
            #expect(
                try await app.chat.service.toolkit.replies.cards(owners: [service]).map(\.body).sorted() == [
                    "Hei! Kiva että kirjoitit.", "Hej! Jag är här för dig.",
                ])

            let w1 = try await worker(client, "worker1@demo.invalid")
            #expect(try await w1.get(base).status == .forbidden)
            #expect(
                try await w1.post("/console/replies", [("id", ""), ("language", "fi"), ("title", "Oma"), ("body", "Minun tapani sanoa.")]).status
                    == .seeOther)
            let mine = try await kit(w1)
            #expect((mine["personal"] as! [[String: String]]).map { $0["text"] } == ["Minun tapani sanoa."])
            let texts = ((mine["services"] as! [String: Any])["tukichat"] as! [String: Any])["texts"] as! [[String: String]]
            #expect(Set(texts.filter { $0["kind"] == "reply" }.map { $0["language"]! }) == ["fi", "sv"])

            // Another worker neither sees nor deletes it.
            let w2 = try await worker(client, "worker2@demo.invalid")
            #expect((try await kit(w2)["personal"] as! [Any]).isEmpty)
            let own = try await app.chat.service.toolkit.replies.cards(owners: [
                try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id
            ])
            #expect(try await w2.post("/console/replies/\(own[0].id.uuidString)/delete").status == .notFound)
            #expect(try await w1.post("/console/replies/\(own[0].id.uuidString)/delete").status == .seeOther)
            #expect((try await kit(w1)["personal"] as! [Any]).isEmpty)
            // Deleted by the coordinator: gone from the console.
            #expect(try await coordinator.post("\(base)/\(welcome.id.uuidString)/delete").status == .seeOther)
            let left = ((try await kit(w1)["services"] as! [String: Any])["tukichat"] as! [String: Any])["texts"] as! [[String: String]]
            #expect(left.filter { $0["kind"] == "reply" }.map { $0["title"] } == ["Välkommen"])
        }
    }

    @Test func referralCardsShowToClientsBesideTheChatAndWhenClosed() async throws {
        try await withApp { app, client in
            let service = try await tukichat(app)
            let base = "/admin/services/\(service.uuidString)/referrals"
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let bad = try await coordinator.post(
                base,
                [
                    ("id", ""), ("language", "fi"), ("title", "Kriisi"), ("body", "Soita"),
                    ("phone", "abc"), ("link", "javascript:alert(1)"),
                ])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("A phone number may have digits") && bad.text.contains("Write the whole web address"))
            #expect(
                try await coordinator.post(
                    base,
                    [
                        ("id", ""), ("language", "fi"), ("title", "Kriisipuhelin <b>yöllä</b>"),
                        ("body", "Voit soittaa nimettömänä."), ("phone", "+358 9 2525 0111"),
                        ("link", "https://kriisikeskus.example/apu"),
                    ]
                ).status == .seeOther)

            // The client's chat page shows the card (as text), instead of the general texts.
            let clientBrowser = Browser(client, language: "fi")
            let started = try await clientBrowser.json(.post, "/api/support/tukichat/chats", nil)
            let c = (try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as! [String: Any])["conversation"] as! String
            let chatPage = try await clientBrowser.get("/chat/\(c)").text
            #expect(chatPage.contains("Kriisipuhelin &lt;b&gt;yöllä&lt;/b&gt;"))
            #expect(chatPage.contains(#"href="tel:+358925250111""#))
            #expect(!chatPage.contains("Päivystysapu: 116 117"))

            // The service page shows them when the chat is closed; with no
            // Swedish cards, a Swedish reader sees the Finnish ones.
            #expect(!(try await Browser(client).get("/s/tukichat").text.contains("Voit soittaa nimettömänä.")))
            try await app.network.repository.saveException(
                service: service, DayException(day: LocalDay(year: 2026, month: 11, day: 24), hours: nil, note: ""))
            let closed = try await Browser(client, language: "sv").get("/s/tukichat").text
            #expect(closed.contains("Voit soittaa nimettömänä."))
            #expect(!closed.contains("()"), "an exception without a note shows no empty brackets")
            #expect(!closed.contains(#"href="""#), "a card without a link shows no empty link")

            // Workers can insert it: the console offers it as one message.
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            let texts = ((try await kit(w)["services"] as! [String: Any])["tukichat"] as! [String: Any])["texts"] as! [[String: String]]
            #expect(
                texts.first { $0["kind"] == "referral" }?["text"]
                    == "Kriisipuhelin <b>yöllä</b>\nVoit soittaa nimettömänä.\n+358 9 2525 0111\nhttps://kriisikeskus.example/apu")
            // Only the service's own coordinators manage them.
            #expect(try await w.get(base).status == .forbidden)
            let other = Browser(client, language: "en")
            try await other.signIn("worker2@demo.invalid")
            #expect(try await other.get(base).status == .forbidden)
        }
    }
}
