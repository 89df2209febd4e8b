import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Reachout

/// The plan pages without a browser, in Finnish, on the demo (worker1 has
/// three plans, worker3 is their backup; the clock is Tuesday 24.11.2026 at
/// 12.00 in Helsinki): a plan made and edited through the form, refusals
/// beside their fields with what was typed, an absence that hands the
/// contacts to the backup, the week, and the registered client's own page.
@Suite struct ReachoutPlanPagesTests {
    /// The plan id of a redirect to `/reachout/plans/{id}…`.
    func planID(_ r: TestResponse) throws -> UUID {
        let location = try #require(r.headers[.location])
        return try #require(UUID(uuidString: String(location.dropFirst("/reachout/plans/".count).prefix(36))))
    }

    func principal(_ app: Kohtaamo, _ email: String) async throws -> StaffPrincipal {
        let s = try #require(try await app.accounts.service.repository.staff(email: email))
        return StaffPrincipal(
            staffID: s.id, sessionID: UUID(), email: email, role: s.role, organisationID: s.organisationID, networkID: UUID(),
            workName: s.workName)
    }

    /// The demo plans' backup (worker3, or the coordinator when the demo has fewer workers).
    func backup(_ app: Kohtaamo, of me: StaffPrincipal) async throws -> StaffPrincipal {
        let aino = try #require(try await app.reachout.service.plans(me).first { $0.label.hasPrefix("Aino") })
        let id = try #require(aino.backup)
        let s = try #require(try await app.accounts.service.repository.staff(id: id))
        return try await principal(app, s.email)
    }

    static let liisa: [(String, String)] = [
        ("nickname", ""), ("label", "Liisa, 040 555 0000"), ("note", "Muutti juuri. <b>Ei</b> tunne ketään."), ("rhythm", "weekdays"),
        ("weekday", "2"), ("weekday", "4"), ("every", "2"), ("starts", ""), ("until", ""), ("time", "11.30"), ("escalateAt", "16.00"),
        ("channel", "phone"), ("owner", ""), ("backup", ""),
    ]

    func with(_ fields: [(String, String)], _ changes: [String: String]) -> [(String, String)] {
        fields.map { ($0.0, changes[$0.0] ?? $0.1) }
    }

    @Test func aPlanMadeThroughTheFormRefusedKeptEditedAndEnded() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            let me = try await principal(app, "worker1@demo.invalid")
            let worker3 = try await backup(app, of: me)
            let list = try await worker.get("/reachout/plans")
            #expect(list.status == .ok && list.text.contains("Aino, 040 123 4567") && list.text.contains("yhteydenpito"))
            #expect(list.text.contains("Joka päivä, klo 10.00. Puhelin.") && list.text.contains("Näinä päivinä: maanantai, keskiviikko, perjantai"))
            #expect(try await worker.get("/reachout/plans/new").text.contains(#"id="plan-label""#))

            // Refused, each beside its field, with everything typed kept.
            let chat = try await worker.post("/reachout/plans/new", with(Self.liisa, ["channel": "chat"]))
            #expect(chat.status == .badRequest && chat.text.contains(##"href="#plan-channel""##))
            #expect(chat.text.contains("Chat ja puhelu sopivat vain rekisteröityneelle asiakkaalle."))
            #expect(
                chat.text.contains(#"value="Liisa, 040 555 0000""#)
                    && chat.text.contains("Muutti juuri. &lt;b&gt;Ei&lt;/b&gt; tunne ketään.</textarea>"))
            #expect(chat.text.contains(#"id="plan-weekday-2" name="weekday" value="2" checked"#) && chat.text.contains(#"value="11.30""#))
            let nobody = try await worker.post("/reachout/plans/new", with(Self.liisa, ["nickname": "eiketaan"]))
            #expect(nobody.status == .notFound && nobody.text.contains(##"href="#plan-nickname""##) && nobody.text.contains(#"value="eiketaan""#))
            let late = try await worker.post("/reachout/plans/new", with(Self.liisa, ["time": "25.00"]))
            #expect(late.status == .badRequest && late.text.contains(##"href="#plan-time""##) && late.text.contains(#"value="25.00""#))
            let noDays = try await worker.post("/reachout/plans/new", Self.liisa.filter { $0.0 != "weekday" })
            #expect(noDays.status == .badRequest && noDays.text.contains(##"href="#plan-rhythm""##))
            let same = try await worker.post("/reachout/plans/new", with(Self.liisa, ["owner": me.staffID.text(), "backup": me.staffID.text()]))
            #expect(same.status == .badRequest && same.text.contains(##"href="#plan-backup""##))
            #expect(try await app.reachout.service.plans(me).count == 3)

            // Made: the page of the plan, then the list.
            let made = try await worker.post("/reachout/plans/new", with(Self.liisa, ["backup": worker3.staffID.text()]))
            #expect(made.status == .seeOther)
            let id = try planID(made)
            #expect(made.headers[.location] == "/reachout/plans/\(id.text())?saved=1")
            let page = try await worker.get("/reachout/plans/\(id.text())?saved=1")
            #expect(page.status == .ok && page.text.contains("Suunnitelma on tallennettu.") && page.text.contains("<h1>Liisa, 040 555 0000</h1>"))
            #expect(page.text.contains("Ei vielä kirjauksia.") && page.text.contains(#"action="/reachout/plans/\#(id.text())/end""#))
            let plan = try await app.reachout.service.plan(me, id: id)
            #expect(plan.rhythm == .weekdays([2, 4]) && plan.minute == 11 * 60 + 30 && plan.owner == me.staffID && plan.backup == worker3.staffID)
            #expect(try await worker.get("/reachout/plans").text.contains("Näinä päivinä: tiistai, torstai, klo 11.30. Puhelin."))

            // Edited: every 3 days at 9.15; a refusal keeps the edit.
            let bad = try await worker.post("/reachout/plans/\(id.text())", with(Self.liisa, ["rhythm": "every", "every": "1"]))
            #expect(bad.status == .badRequest && bad.text.contains(##"href="#plan-rhythm""##) && bad.text.contains(#"value="1""#))
            let edited = try await worker.post("/reachout/plans/\(id.text())", with(Self.liisa, ["rhythm": "every", "every": "3", "time": "9.15"]))
            #expect(edited.status == .seeOther && edited.headers[.location] == "/reachout/plans/\(id.text())?saved=1")
            #expect(try await app.reachout.service.plan(me, id: id).rhythm == .everyDays(3))
            #expect(try await worker.get("/reachout/plans/\(id.text())").text.contains(#"id="plan-time" name="time" type="text" value="9.15""#))

            // The history of a demo plan; then End, after which the form is gone and End again is refused.
            let matti = try #require(try await app.reachout.service.plans(me).first { $0.label.hasPrefix("Matti") })
            let history = try await worker.get("/reachout/plans/\(matti.id.text())").text
            #expect(history.contains("<strong>Tavoitettu</strong>") && history.contains("Kuulumiset hyvät. Menee kerholle torstaina."))
            #expect(history.contains("<strong>Ei vastannut</strong> (Työntekijä 1)</li>") && !history.contains("FormField"))
            let ended = try await worker.post("/reachout/plans/\(id.text())/end")
            #expect(ended.status == .seeOther)
            let after = try await worker.get("/reachout/plans/\(id.text())").text
            #expect(after.contains("Päättyi 24.11.2026.") && !after.contains(#"id="plan-label""#))
            #expect(try await worker.post("/reachout/plans/\(id.text())/end").status == .conflict)
            #expect(try await worker.get("/reachout/plans").text.contains("<h2 id=\"ended\">Päättyneet</h2>"))

            // Volunteers keep no plans; a plan of no one is not found.
            let volunteer = Browser(client, language: "fi")
            try await volunteer.signIn("volunteer1@demo.invalid")
            #expect(try await volunteer.get("/reachout/plans").status == .forbidden)
            #expect(try await volunteer.get("/reachout/calendar").status == .forbidden)
            #expect(try await worker.get("/reachout/plans/\(UUID().uuidString)").status == .notFound)
        }
    }

    @Test func anAbsenceGivesTheContactsToTheBackupAndTheWeekShowsIt() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            let me = try await principal(app, "worker1@demo.invalid")
            let worker3 = try await backup(app, of: me)
            #expect(try await app.reachout.service.list(worker3).isEmpty)

            let week = try await worker.get("/reachout/calendar")
            #expect(week.status == .ok && week.text.contains("Viikko 23.11.2026–29.11.2026") && week.text.contains("tiistai 24.11.2026 (tänään)"))
            #expect(week.text.contains(">Aino, 040 123 4567</a>") && week.text.contains(">Matti, 050 765 4321</a>"))
            #expect(week.text.contains(#"href="/reachout/calendar?day=2026-11-30&amp;worker=\#(me.staffID.text())""#))

            // A refused absence keeps what was typed; a worker cannot mark another.
            let bad = try await worker.post(
                "/reachout/calendar/absences", [("day", "2026-11-23"), ("worker", "team"), ("from", "2026-11-26"), ("to", "2026-11-25")])
            #expect(bad.status == .badRequest && bad.text.contains(##"href="#absence-to""##) && bad.text.contains(#"value="2026-11-26""#))
            let other = try await worker.post(
                "/reachout/calendar/absences", [("day", ""), ("worker", ""), ("staff", worker3.staffID.text()), ("from", "2026-11-24"), ("to", "")])
            #expect(other.status == .forbidden)

            let away = try await worker.post(
                "/reachout/calendar/absences", [("day", "2026-11-23"), ("worker", "team"), ("from", "2026-11-24"), ("to", "2026-11-25")])
            #expect(away.status == .seeOther && away.headers[.location] == "/reachout/calendar?day=2026-11-23&worker=team#absences")
            let covering = try await app.reachout.service.list(worker3)
            #expect(Set(covering.map(\.plan.label)) == ["Aino, 040 123 4567", "Matti, 050 765 4321"] && covering.allSatisfy(\.covering))
            #expect(try await app.reachout.service.list(me).isEmpty)

            let team = try await worker.get("/reachout/calendar?day=2026-11-25&worker=team").text
            #expect(team.contains("Poissa: \(me.workName)") && team.contains("\(worker3.workName) <span class=\"small\">(varahenkilönä)</span>"))
            #expect(team.contains("\(me.workName): 24.11.2026–25.11.2026"))
            // Holidays are named: Independence Day is on Sunday 6.12.2026.
            #expect(try await worker.get("/reachout/calendar?day=2026-12-02&worker=team").text.contains("Pyhäpäivä: Itsenäisyyspäivä"))
            #expect(try await worker.get("/reachout/calendar?day=eilen").status == .badRequest)

            // Deleted: the contacts come back.
            let absence = try #require(
                try await app.reachout.service.absences(me, from: app.reachout.service.today, to: app.reachout.service.today).first)
            let deleted = try await worker.post(
                "/reachout/calendar/absences/\(absence.id.text())/delete", [("day", "2026-11-23"), ("worker", "team")])
            #expect(deleted.status == .seeOther)
            #expect(try await app.reachout.service.list(worker3).isEmpty)
            #expect(try await app.reachout.service.list(me).count == 2)

            // A coordinator marks anyone of the team.
            let coordinator = Browser(client, language: "fi")
            try await coordinator.signIn("coordinator@demo.invalid")
            let page = try await coordinator.get("/reachout/calendar?worker=team").text
            #expect(page.contains(#"id="absence-staff""#))
            let marked = try await coordinator.post(
                "/reachout/calendar/absences", [("day", ""), ("worker", "team"), ("staff", me.staffID.text()), ("from", "2026-11-24"), ("to", "")])
            #expect(marked.status == .seeOther)
            #expect(try await app.reachout.service.list(worker3).count == 2)
        }
    }

    @Test func theRegisteredClientSeesWhoContactsThemNeverTheNotesAndDeclines() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            let me = try await principal(app, "worker1@demo.invalid")
            let plan = try #require(try await app.reachout.service.plans(me).first { $0.member != nil })
            // A label the workers use: never shown to the client.
            let form = try await worker.get("/reachout/plans/\(plan.id.text())").text
            #expect(form.contains(#"value="yhteydenpito""#))
            let saved = try await worker.post(
                "/reachout/plans/\(plan.id.text())",
                with(
                    Self.liisa,
                    [
                        "nickname": "yhteydenpito", "label": "Salainen tunniste", "note": "Kerhon jäsen. Sovittu viestit chatissa.",
                        "channel": "chat", "time": "13.00", "weekday": "1",
                    ]))
            #expect(saved.status == .seeOther)

            let member = Browser(client, language: "fi")
            #expect(try await member.post("/account/signin", [("nickname", "yhteydenpito"), ("password", demoPassword)]).status == .seeOther)
            #expect(try await member.get("/account").text.contains(#"href="/my/contacts""#))
            let page = try await member.get("/my/contacts")
            #expect(page.status == .ok && page.text.contains(">\(me.workName)</h2>") && page.text.contains("klo 13.00") && page.text.contains("Chat"))
            #expect(!page.text.contains("Salainen") && !page.text.contains("Kerhon jäsen") && !page.text.contains("Aino"))
            #expect(!page.text.contains("/my/contacts/\(plan.id.text())\""))

            // Once a worker opens the chat, the client has the thread.
            let conversation = try await app.reachout.service.openChat(me, plan: plan.id)
            #expect(try await member.get("/my/contacts").text.contains(#"href="/my/contacts/\#(plan.id.text())""#))
            let thread = try await member.get("/my/contacts/\(plan.id.text())")
            #expect(
                thread.status == .ok && thread.text.contains(#"data-conversation="\#(conversation.text())""#) && !thread.text.contains("Salainen"))

            // Declining: first the question, then the plan ends.
            let ask = try await member.get("/my/contacts/\(plan.id.text())/decline")
            #expect(ask.status == .ok && ask.text.contains("Kyllä, lopeta yhteydenotot") && ask.text.contains(me.workName))
            let declined = try await member.post("/my/contacts/\(plan.id.text())/decline")
            #expect(declined.status == .seeOther && declined.headers[.location] == "/my/contacts?declined=1")
            let after = try await member.get("/my/contacts?declined=1").text
            #expect(after.contains("Selvä. Yhteydenotot loppuvat.") && after.contains("Kukaan ei pidä sinuun nyt yhteyttä"))
            #expect(try await app.reachout.service.plan(me, id: plan.id).endedOn == app.reachout.service.today)
            #expect(try await member.get("/my/contacts/\(plan.id.text())").status == .notFound)
            #expect(try await member.post("/my/contacts/\(plan.id.text())/decline").status == .conflict)

            // Another client's plan is not theirs.
            let aino = try #require(try await app.reachout.service.plans(me).first { $0.label.hasPrefix("Aino") })
            #expect(try await member.get("/my/contacts/\(aino.id.text())/decline").status == .notFound)
            #expect(try await member.post("/my/contacts/\(aino.id.text())/decline").status == .notFound)
        }
    }
}
