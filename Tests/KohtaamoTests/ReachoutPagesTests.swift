import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Reachout

/// The reach-out pages without JavaScript, on the demo (Tuesday 24.11.2026
/// 12.00): worker1's list of the day, one button per outcome, a refusal
/// beside the form with what was typed, the chat with a registered client,
/// and the coordinator's escalations closed with a note.
@Suite struct ReachoutPagesTests {
    func plans(_ app: Kohtaamo) async throws -> (aino: ContactPlan, matti: ContactPlan, chat: ContactPlan) {
        let worker = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid"))
        let all = try await app.reachout.service.repository.plans(organisation: worker.organisationID)
        return (
            try #require(all.first { $0.label.hasPrefix("Aino") }), try #require(all.first { $0.label.hasPrefix("Matti") }),
            try #require(all.first { $0.member != nil })
        )
    }

    @Test func aWorkerLogsOutcomesWithOneButtonAndARefusalKeepsTheNote() async throws {
        try await withApp { app, client in
            let (aino, matti, chat) = try await plans(app)
            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            let page = try await worker.get("/reachout")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Yhteydenotot tänään</h1>"))
            // Tuesday: Aino (12.00) and Matti (10.00), Matti first; the chat plan is for Mon/Wed/Fri.
            let ainoAt = try #require(page.text.range(of: "Aino, 040 123 4567")).lowerBound
            let mattiAt = try #require(page.text.range(of: "Matti, 050 765 4321")).lowerBound
            #expect(mattiAt < ainoAt)
            #expect(!page.text.contains("/reachout/plans/\(chat.id.text())/outcomes"))
            #expect(page.text.contains(#"action="/reachout/plans/\#(aino.id.text())/outcomes""#))
            #expect(page.text.contains(#"name="day" value="2026-11-24""#))
            #expect(page.text.contains(#"name="outcome" value="no_answer""#) && page.text.contains(#"name="outcome" value="declined""#))
            #expect(page.text.contains("Kuulumiset hyvät.") == false)  // Matti's last time was an unanswered call
            #expect(page.text.contains("Ei vastannut"))
            #expect(page.text.contains(app.views.assets.url("reachout.js")))

            // One tap: no answer, with a note; back to the row.
            let logged = try await worker.post(
                "/reachout/plans/\(aino.id.text())/outcomes", [("day", "2026-11-24"), ("note", "Soitan uudelleen klo 14."), ("outcome", "no_answer")])
            #expect(logged.status == .seeOther && logged.location == "/reachout#contact-\(aino.id.text())")
            var stored = try await app.reachout.service.repository.history(plan: aino.id, limit: 5)
            #expect(stored.map(\.kind) == [.noAnswer] && stored.first?.note == "Soitan uudelleen klo 14.")
            let after = try await worker.get("/reachout")
            #expect(after.text.contains(#"id="contact-\#(aino.id.text())" data-plan="\#(aino.id.text())" data-state="try_again""#))
            #expect(after.text.contains("Soitan uudelleen klo 14."))

            // A note too long: refused beside the form, what was typed kept (as text).
            let long = "<script>x</script>" + String(repeating: "a", count: 1000)
            let refused = try await worker.post(
                "/reachout/plans/\(aino.id.text())/outcomes", [("day", "2026-11-24"), ("note", long), ("outcome", "reached")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("&lt;script&gt;x&lt;/script&gt;") && !refused.text.contains("<script>x</script>"))
            #expect(refused.text.contains(#"id="note-\#(aino.id.text())" name="note" rows="2" maxlength="1000" aria-invalid="true""#))
            #expect(refused.text.contains(##"href="#note-\##(aino.id.text())""##))
            #expect(refused.text.contains("Muistiinpano on liian pitkä"))
            // A referral without a card: refused beside the buttons.
            let noCard = try await worker.post(
                "/reachout/plans/\(matti.id.text())/outcomes", [("day", "2026-11-24"), ("note", "Ohjaus"), ("outcome", "referral"), ("referral", "")])
            #expect(noCard.status == .badRequest && noCard.text.contains("Valitse, mihin ohjaat.") && noCard.text.contains("Ohjaus</textarea>"))
            stored = try await app.reachout.service.repository.history(plan: aino.id, limit: 5)
            #expect(stored.count == 1)

            // With a referral card of the organisation's service: the select and its button; the card's title in the history.
            let service = try #require(try await app.reachout.service.services.services(organisation: aino.organisation).first)
            let card = TextCard(owner: service.id, language: "fi", title: "Kriisipuhelin", body: "Soita 09 2525 0111.")
            try await app.network.referrals.save(card, at: 0)
            let withCard = try await worker.get("/reachout")
            #expect(withCard.text.contains(#"<option value="\#(card.id.text())">Kriisipuhelin</option>"#))
            let referred = try await worker.post(
                "/reachout/plans/\(matti.id.text())/outcomes",
                [("day", "2026-11-24"), ("note", ""), ("outcome", "referral"), ("referral", card.id.text())])
            #expect(referred.status == .seeOther)
            let mattiRow = try await worker.get("/reachout")
            #expect(mattiRow.text.contains(#"data-plan="\#(matti.id.text())" data-state="reached""#))
            #expect(mattiRow.text.contains("(Kriisipuhelin)"))

            // Declined ends the plan: no more buttons on its row.
            #expect(
                try await worker.post("/reachout/plans/\(aino.id.text())/outcomes", [("day", "2026-11-24"), ("outcome", "declined")]).status
                    == .seeOther)
            #expect(try await app.reachout.service.repository.plan(id: aino.id)?.endedOn == HelsinkiDay("2026-11-24"))
            let ended = try await worker.get("/reachout")
            #expect(!ended.text.contains("/reachout/plans/\(aino.id.text())/outcomes") && ended.text.contains("Suunnitelma on päättynyt."))

            // Yesterday's list; a day outside the last week is refused.
            #expect(try await worker.get("/reachout?day=2026-11-23").text.contains("Yhteydenotot: maanantai 23.11.2026"))
            #expect(try await worker.get("/reachout?day=2026-11-01").status == .badRequest)
            #expect(try await worker.get("/reachout?day=huomenna").status == .badRequest)

            // Volunteers keep no lists; nobody logs on another organisation's plan by guessing.
            let volunteer = Browser(client, language: "fi")
            try await volunteer.signIn("volunteer1@demo.invalid")
            #expect(try await volunteer.get("/reachout").status == .forbidden)
            #expect(
                try await volunteer.post("/reachout/plans/\(matti.id.text())/outcomes", [("outcome", "reached")]).status == .forbidden)
            #expect(try await worker.post("/reachout/plans/\(UUID().text())/outcomes", [("outcome", "reached")]).status == .notFound)
            #expect(try await Browser(client).get("/reachout").location?.hasPrefix("/signin") == true)
        }
    }

    @Test func contactThroughTheChatOpensTheThread() async throws {
        try await withApp { app, client in
            let (aino, _, chat) = try await plans(app)
            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            let before = try await worker.get("/reachout/plans/\(chat.id.text())/chat")
            #expect(before.status == .ok && before.text.contains(#"action="/reachout/plans/\#(chat.id.text())/chat""#))
            #expect(!before.text.contains("data-coaching-thread"))
            let opened = try await worker.post("/reachout/plans/\(chat.id.text())/chat")
            #expect(opened.status == .seeOther && opened.location == "/reachout/plans/\(chat.id.text())/chat")
            let conversation = try #require(try await app.reachout.service.repository.plan(id: chat.id)?.conversation)
            let page = try await worker.get("/reachout/plans/\(chat.id.text())/chat")
            #expect(page.text.contains(#"data-conversation="\#(conversation.text())""#))
            #expect(page.text.contains("<h1>Chat: yhteydenpito</h1>") && page.text.contains(app.views.assets.url("coaching.js")))
            let member = try #require(chat.member)
            #expect(try await app.realtime.participant(.client(member), in: conversation) != nil)
            // A person known by a label only has no chat.
            #expect(try await worker.post("/reachout/plans/\(aino.id.text())/chat").status == .badRequest)
            #expect(try await worker.get("/reachout/plans/\(aino.id.text())/chat").status == .badRequest)
        }
    }

    @Test func theCoordinatorClosesAnEscalationWithANote() async throws {
        try await withApp { app, client in
            let (_, matti, _) = try await plans(app)
            let coordinator = Browser(client, language: "fi")
            try await coordinator.signIn("coordinator@demo.invalid")
            let page = try await coordinator.get("/reachout/escalations")
            #expect(page.status == .ok)
            let escalations = try await app.reachout.service.repository.escalations(organisation: matti.organisation, closedSinceMs: 0)
            #expect(escalations.count == 2 && escalations.filter(\.repeated).count == 1)
            // Both days of Matti, the second in red and said in words; the history under each.
            #expect(page.text.contains("Matti, 050 765 4321 – sunnuntai 22.11.2026"))
            #expect(page.text.contains("Matti, 050 765 4321 – maanantai 23.11.2026"))
            #expect(page.text.components(separatedBy: #"class="card escalation repeated""#).count == 2)
            #expect(page.text.contains("Toinen päivä peräkkäin ilman yhteyttä."))
            #expect(page.text.contains("Kuulumiset hyvät. Menee kerholle torstaina."))
            #expect(page.text.contains("Ei kuitattuja ilmoituksia."))

            let open = try #require(escalations.first { $0.repeated })
            let path = "/reachout/escalations/\(open.id.text())/close"
            let empty = try await coordinator.post(path, [("note", "  ")])
            #expect(empty.status == .badRequest && empty.text.contains(##"href="#close-\##(open.id.text())""##))
            #expect(empty.text.contains(#"aria-invalid="true""#))
            let closed = try await coordinator.post(path, [("note", "Soitin itse. <b>Matti</b> voi hyvin.")])
            #expect(closed.status == .seeOther && closed.location == "/reachout/escalations#closed")
            let after = try await coordinator.get("/reachout/escalations")
            #expect(after.text.contains("Soitin itse. &lt;b&gt;Matti&lt;/b&gt; voi hyvin."))
            #expect(after.text.contains("Kuittasi Koordinaattori") || after.text.contains("Kuittasi "))
            #expect(!after.text.contains(#"action="\#(path)""#))
            // Twice: already closed, said beside it.
            let twice = try await coordinator.post(path, [("note", "Uudelleen")])
            #expect(twice.status == .conflict && twice.text.contains("Joku on jo kuitannut tämän."))

            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            #expect(try await worker.get("/reachout/escalations").status == .forbidden)
            #expect(try await worker.post(path, [("note", "x")]).status == .forbidden)
            #expect(try await coordinator.post("/reachout/escalations/\(UUID().text())/close", [("note", "x")]).status == .notFound)
        }
    }
}
