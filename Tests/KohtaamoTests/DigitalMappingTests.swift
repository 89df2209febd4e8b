import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DigitalSupport
@testable import Kohtaamo
@testable import KohtaamoBase

/// The needs mapping on the suite's database (SQLite, or PostgreSQL under
/// scripts/pg-throwaway): profiles from answers (each default profile, an
/// edited rule set, an old mapping read on its own version), the refusals
/// and their codes, who may see and do what, the progress figures, and the
/// sealed goal text.
@Suite struct DigitalMappingTests {
    static func object(_ r: TestResponse) -> [String: Any] { ReachoutAPITests.object(r) }
    static func array(_ r: TestResponse) -> [[String: Any]] { ReachoutAPITests.array(r) }
    static func body(_ fields: [String: Any]) -> String { ReachoutAPITests.body(fields) }
    static func refused(_ r: TestResponse, _ status: HTTPResponse.Status, _ code: String, _ comment: Comment? = nil) {
        ReachoutAPITests.refused(r, status, code, comment)
    }

    /// Answers to the default questionnaire by theme (nil: "not needed").
    static func answers(_ byTheme: [DigitalTheme: Int?]) -> [String: Any] {
        var out: [String: Any] = [:]
        for q in MappingDefaults.questions { out[q.id] = (byTheme[q.theme] ?? 2).map { $0 as Any } ?? NSNull() }
        return out
    }

    static let beginner: [DigitalTheme: Int?] = [.deviceBasics: 0, .messaging: 1, .onlineServices: 0, .safety: 0, .jobSearch: nil, .content: 1]
    static let advanced: [DigitalTheme: Int?] = [.deviceBasics: 3, .messaging: 3, .onlineServices: 3, .safety: 3, .jobSearch: 2, .content: 3]
    static let entertainment: [DigitalTheme: Int?] = [.deviceBasics: 2, .messaging: 2, .onlineServices: 1, .safety: 2, .jobSearch: nil, .content: 3]
    static let practical: [DigitalTheme: Int?] = [.deviceBasics: 2, .messaging: 2, .onlineServices: 2, .safety: 2, .jobSearch: 1, .content: 1]

    static func map(_ worker: Browser, _ nickname: String, _ byTheme: [DigitalTheme: Int?]) async throws -> [String: Any] {
        let r = try await worker.json(.post, "/api/digital/mappings", body(["nickname": nickname, "answers": answers(byTheme)]))
        #expect(r.status == .created, "\(r.text)")
        return object(r)
    }

    static func profile(_ mapping: [String: Any]) -> String? { (mapping["profile"] as? [String: Any])?["key"] as? String }

    // MARK: profiles from answers

    @Test func eachDefaultProfileIsReachedByItsAnswers() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            _ = try await DigitalSupportTests.member(app, client, "Kartoitettava")
            for (answers, profile) in [
                (Self.beginner, "beginner"), (Self.advanced, "advanced"), (Self.entertainment, "entertainment"), (Self.practical, "practical"),
            ] {
                let m = try await Self.map(worker, "kartoitettava", answers)
                #expect(Self.profile(m) == profile)
                #expect(m["version"] as? Int == 0)
            }
            // The means: "not needed" leaves job search without a score, device basics is (2+2)/2.
            let m = try await Self.map(worker, "Kartoitettava", Self.entertainment)
            let scores = try #require(m["scores"] as? [String: Double])
            #expect(scores["job_search"] == nil && scores["device_basics"] == 2 && scores["online_services"] == 1)
            // The suggestions are the profile's, in the asker's language.
            let goals = try #require((m["profile"] as? [String: Any])?["goals"] as? [[String: Any]])
            #expect(goals.first?["text"] as? String == "I learn to do one errand online.")
        }
    }

    @Test func theRulesPickTheFirstMatchAndAMissingScoreFailsItsRange() {
        let rules = MappingDefaults.rules
        #expect(MappingRules.profile([.deviceBasics: 1.5, .content: 3], rules: rules) == .beginner)
        #expect(MappingRules.profile([.deviceBasics: 1.6, .content: 3, .onlineServices: 1.5], rules: rules) == .entertainment)
        // No online services score at all: the entertainment rule cannot hold.
        #expect(MappingRules.profile([.deviceBasics: 2, .content: 3], rules: rules) == .practical)
        #expect(MappingRules.text(rules) == MappingDefaults.rulesText)
    }

    @Test func anEditedRuleSetChangesTheProfileAndOldMappingsKeepTheirVersion() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let coordinator = try await ReachoutAPITests.staff(client, "coordinator@demo.invalid")
            let (_, member) = try await DigitalSupportTests.member(app, client, "Toistuva")
            let before = try await Self.map(worker, "Toistuva", Self.beginner)
            #expect(Self.profile(before) == "beginner")
            // One question a theme; whoever answers anything on content is advanced, the rest beginners.
            let questions = DigitalTheme.allCases.map { ["theme": $0.rawValue, "fi": "Uusi kysymys: \($0.rawValue)", "en": "New: \($0.rawValue)"] }
            let rules: [[String: Any]] = [
                ["profile": "advanced", "conditions": [["theme": "content", "min": 0, "max": 3]]], ["profile": "beginner", "conditions": []],
            ]
            let saved = try await coordinator.json(.put, "/api/digital/questionnaire", Self.body(["questions": questions, "rules": rules]))
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(Self.object(saved)["version"] as? Int == 1)
            var answers: [String: Any] = [:]
            for t in DigitalTheme.allCases { answers["\(t.rawValue)_1"] = 0 }
            let after = try await worker.json(.post, "/api/digital/mappings", Self.body(["member": member.uuidString, "answers": answers]))
            #expect(after.status == .created, "\(after.text)")
            #expect(Self.profile(Self.object(after)) == "advanced" && Self.object(after)["version"] as? Int == 1)
            // The old answers on the default's nine questions, the new on the six.
            let list = Self.array(try await worker.get("/api/digital/clients/\(member.uuidString)/mappings"))
            #expect(list.map { $0["version"] as? Int } == [0, 1])
            #expect(list.map { ($0["answers"] as? [[String: Any]])?.count } == [9, 6])
            #expect((list[0]["answers"] as? [[String: Any]])?.first?["text"] as? String == MappingDefaults.questions[0].text.en)
            #expect(list.map(Self.profile) == ["beginner", "advanced"])
            // The next save is version 2; the worker fills on it.
            #expect(
                Self.object(try await coordinator.json(.put, "/api/digital/questionnaire", Self.body(["questions": questions, "rules": rules])))[
                    "version"] as? Int == 2)
            #expect(Self.object(try await worker.get("/api/digital/questionnaire"))["version"] as? Int == 2)
        }
    }

    // MARK: refusals

    @Test func eachMistakeHasItsCode() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let coordinator = try await ReachoutAPITests.staff(client, "coordinator@demo.invalid")
            let (me, member) = try await DigitalSupportTests.member(app, client, "Virheellinen")
            var answers = Self.answers(Self.practical)
            answers.removeValue(forKey: "safety_2")
            Self.refused(
                try await worker.json(.post, "/api/digital/mappings", Self.body(["nickname": "Virheellinen", "answers": answers])), .badRequest,
                "mapping_missing_answer")
            answers["safety_2"] = 4
            Self.refused(
                try await worker.json(.post, "/api/digital/mappings", Self.body(["nickname": "Virheellinen", "answers": answers])), .badRequest,
                "mapping_bad_answer")
            answers["safety_2"] = 1
            answers["kysymys_jota_ei_ole"] = 1
            Self.refused(
                try await worker.json(.post, "/api/digital/mappings", Self.body(["nickname": "Virheellinen", "answers": answers])), .badRequest,
                "mapping_bad_answer")
            Self.refused(
                try await worker.json(.post, "/api/digital/mappings", Self.body(["nickname": "Eiole", "answers": Self.answers(Self.practical)])),
                .notFound, "mapping_member_not_found")
            Self.refused(
                try await me.json(.post, "/api/my/digital/mappings", Self.body(["answers": [:] as [String: Any]])), .badRequest,
                "mapping_missing_answer")
            _ = try await Self.map(worker, "Virheellinen", Self.practical)
            let goals = "/api/digital/clients/\(member.uuidString)/goals"
            Self.refused(try await worker.json(.post, goals, Self.body(["theme": "safety", "text": " "])), .badRequest, "mapping_bad_goal")
            Self.refused(try await worker.json(.post, goals, Self.body(["theme": "kalastus", "text": "Opin"])), .badRequest, "mapping_bad_theme")
            let goal = Self.object(try await worker.json(.post, goals, Self.body(["theme": "safety", "text": "Opin salasanat"])))
            let id = try #require(goal["id"] as? String)
            Self.refused(try await worker.json(.put, "\(goals)/\(id)", Self.body(["status": "kesken"])), .badRequest, "mapping_bad_status")
            #expect(Self.object(try await worker.json(.put, "\(goals)/\(id)", Self.body(["status": "done"])))["status"] as? String == "done")
            // The questionnaire: a theme without questions, a fallback in the middle, a question on two lines.
            let some = DigitalTheme.allCases.dropLast().map { ["theme": $0.rawValue, "fi": "Kysymys"] }
            let fallback: [[String: Any]] = [["profile": "practical", "conditions": []]]
            Self.refused(
                try await coordinator.json(.put, "/api/digital/questionnaire", Self.body(["questions": some, "rules": fallback])), .badRequest,
                "mapping_question_count")
            let all = DigitalTheme.allCases.map { ["theme": $0.rawValue, "fi": "Kysymys"] }
            Self.refused(
                try await coordinator.json(.put, "/api/digital/questionnaire", Self.body(["questions": all, "rules": fallback + fallback])),
                .badRequest, "mapping_rules_fallback")
            Self.refused(
                try await coordinator.json(
                    .put, "/api/digital/questionnaire",
                    Self.body(["questions": [["theme": "safety", "fi": "kaksi\nriviä"]] + all, "rules": fallback])),
                .badRequest, "mapping_bad_question")
            // The rules as text: each fault by its line.
            #expect(try MappingRules.parse("beginner: device_basics 0-1\npractical: *").get().map(\.profile) == [.beginner, .practical])
            #expect(MappingRules.parse("beginner device_basics 0-1\npractical: *") == .failure(.init(line: 1, refusal: .rulesSyntax)))
            #expect(MappingRules.parse("\nnovice: safety 0-1\npractical: *") == .failure(.init(line: 2, refusal: .rulesProfile)))
            #expect(MappingRules.parse("beginner: fishing 0-1\npractical: *") == .failure(.init(line: 1, refusal: .rulesTheme)))
            #expect(MappingRules.parse("beginner: safety nan-1\npractical: *") == .failure(.init(line: 1, refusal: .rulesRange)))
            #expect(MappingRules.parse("beginner: safety 2-1\npractical: *") == .failure(.init(line: 1, refusal: .rulesRange)))
            #expect(MappingRules.parse("beginner: safety 0-4\npractical: *") == .failure(.init(line: 1, refusal: .rulesRange)))
            #expect(MappingRules.parse("practical: *\n\nbeginner: safety 0-1") == .failure(.init(line: 1, refusal: .rulesFallback)))
            #expect(MappingRules.parse("beginner: safety 0-1") == .failure(.init(line: 1, refusal: .rulesFallback)))
            // On the coordinator's page the message names the line, and what was typed stays.
            let page = try await coordinator.post(
                "/digital/mapping/questionnaire",
                [("q_device_basics_1_fi", "Osaan avata puhelimen."), ("rules", "beginner: device_basics 0-1\nnovice: *")])
            #expect(page.status == .badRequest)
            #expect(page.text.contains("Line 2: no such profile"))
            #expect(page.text.contains("Osaan avata puhelimen."))
        }
    }

    // MARK: rights

    @Test func volunteersWorkersAndClientsEachSeeOnlyTheirOwn() async throws {
        try await withApp { app, client in
            let volunteer = try await ReachoutAPITests.staff(client, "volunteer1@demo.invalid")
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let (alone, aloneID) = try await DigitalSupportTests.member(app, client, "Yksin")
            let (other, otherID) = try await DigitalSupportTests.member(app, client, "Toisen")
            Self.refused(
                try await volunteer.json(.post, "/api/digital/mappings", Self.body(["nickname": "Yksin", "answers": Self.answers(Self.practical)])),
                .forbidden, "mapping_not_allowed")
            Self.refused(try await volunteer.get("/api/digital/questionnaire"), .forbidden, "mapping_not_allowed")
            #expect(try await volunteer.get("/digital/mapping").status == .forbidden)
            Self.refused(
                try await worker.json(.put, "/api/digital/questionnaire", Self.body(["questions": [] as [Any], "rules": [] as [Any]])), .forbidden,
                "mapping_not_allowed")
            #expect(try await worker.get("/digital/mapping/questionnaire").status == .forbidden)
            // Another organisation's client: their mapping there is not this worker's to see.
            let q = MappingDefaults.questionnaire
            try await app.digital.service.repository.addMapping(
                Mapping(
                    member: otherID, organisation: UUID(), network: nil, version: 0, answers: [:], scores: [:], profile: .beginner, filledBy: nil,
                    createdMs: app.clock.nowMs))
            Self.refused(try await worker.get("/api/digital/clients/\(otherID.uuidString)/mappings"), .notFound, "not_found")
            #expect(try await worker.get("/digital/mapping/clients/\(otherID.uuidString)").status == .notFound)
            Self.refused(
                try await worker.json(.post, "/api/digital/clients/\(otherID.uuidString)/goals", Self.body(["theme": "safety", "text": "x"])),
                .notFound, "not_found")
            // The client alone: their own mapping, their own goals, not the other's.
            var answers: [String: Any] = [:]
            for question in q.questions { answers[question.id] = 1 }
            #expect(try await alone.json(.post, "/api/my/digital/mappings", Self.body(["answers": answers])).status == .created)
            let mine = Self.array(try await alone.get("/api/my/digital/mappings"))
            #expect(mine.count == 1 && mine.first?["member"] as? String == aloneID.text())
            #expect(Self.array(try await other.get("/api/my/digital/mappings")).count == 1)
            let goal = Self.object(try await other.json(.post, "/api/my/digital/goals", Self.body(["theme": "content", "text": "Oma salaisuus"])))
            let id = try #require(goal["id"] as? String)
            Self.refused(try await alone.json(.put, "/api/my/digital/goals/\(id)", Self.body(["status": "done"])), .notFound, "not_found")
            #expect(try await alone.post("/my/digital/mapping/goals/\(id)/status", [("done", "1")]).status == .notFound)
            #expect(Self.array(try await alone.get("/api/my/digital/goals")).isEmpty)
            #expect(Self.array(try await other.get("/api/my/digital/goals")).first?["status"] as? String == "open")
            // The client alone had no worker: nothing of theirs is kept with the worker's organisation.
            #expect(try await worker.get("/api/digital/clients/\(aloneID.uuidString)/mappings").status == .notFound)
        }
    }

    // MARK: progress

    @Test func theClientFillsTwiceAMonthApartAndTheProgressShowsBoth() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let (me, member) = try await DigitalSupportTests.member(app, client, "Edistyjä")
            // With a worker first: the client's own later mapping is kept where the worker sees it.
            // (A month ago, through the service: a signed-in session would not outlive a jump of the clock.)
            let start = app.clock.now
            app.clock.set(start.addingTimeInterval(-31 * 86400))
            var first: [String: String] = [:]
            for (id, value) in Self.answers(Self.beginner) { first[id] = (value as? Int).map(String.init) ?? MappingAnswer.notNeeded }
            _ = try await app.digital.service.makeMapping(
                try await DigitalSupportTests.principal(app, "worker1@demo.invalid"), member: member, answers: first)
            app.clock.set(start)
            var form: [(String, String)] = []
            for q in MappingDefaults.questions { form.append(("q_\(q.id)", q.theme == .deviceBasics ? (q.id.hasSuffix("1") ? "2" : "1") : "3")) }
            let missing = try await me.post("/my/digital/mapping", Array(form.dropLast()))
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("Choose one option."))
            let done = try await me.post("/my/digital/mapping", form)
            #expect(done.status == .seeOther && done.headers[.location] == "/my/digital/mapping/progress?saved=1")
            let page = try await me.get("/my/digital/mapping/progress?saved=1")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"role="img" aria-labelledby="progress-chart-title""#))
            #expect(page.text.contains("<title id=\"progress-chart-title\">"))
            // The table: two rows, device basics 0 then (2+1)/2 = 1.5, the profile of each.
            #expect(page.text.contains("Beginner</td><td>0</td>"))
            #expect(page.text.contains("Advanced user") == false)
            #expect(page.text.contains("<td>1.5</td>"))
            #expect(page.text.components(separatedBy: "<tr><th scope=\"row\">").count == 3)
            // The worker's client page shows the same two points.
            let mappings = Self.array(try await worker.get("/api/digital/clients/\(member.uuidString)/mappings"))
            #expect(mappings.count == 2 && mappings.last?["filledByWorker"] as? Bool == false)
            let staffPage = try await worker.get("/digital/mapping/clients/\(member.uuidString)")
            #expect(staffPage.text.contains("<td>1.5</td>"))
            // A suggested goal picked, then done; its text is sealed in the database.
            let picked = try await me.post("/my/digital/mapping/goals", [("theme", "safety"), ("text", "Oma tavoite: pankkisovellus tutuksi")])
            #expect(picked.status == .seeOther)
            let organisation = try #require(try await app.digital.service.repository.mappings(member: member).first?.organisation)
            let goals = try await app.digital.service.goals(of: member, organisation: organisation)
            #expect(goals.map(\.text) == ["Oma tavoite: pankkisovellus tutuksi"])
            let raw = try rawDatabase(app.configuration)
            #expect(raw.range(of: Data("pankkisovellus tutuksi".utf8)) == nil)
        }
    }

    // MARK: the client's data

    @Test func theDataDownloadHasTheMappingsAndGoalsAndErasureTakesThem() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let (_, member) = try await DigitalSupportTests.member(app, client, "Ladattava")
            _ = try await Self.map(worker, "Ladattava", Self.advanced)
            let goals = "/api/digital/clients/\(member.uuidString)/goals"
            #expect(try await worker.json(.post, goals, Self.body(["theme": "content", "text": "Oma video"])).status == .created)
            let data = app.digital.memberData
            let export = try #require(try JSONSerialization.jsonObject(with: try await data.export(member: member, language: .fi)) as? [String: Any])
            let mappings = try #require(export["mappings"] as? [[String: Any]])
            #expect(mappings.count == 1 && (mappings[0]["profile"] as? [String: Any])?["name"] as? String == "Taitava käyttäjä")
            #expect((export["goals"] as? [[String: Any]])?.first?["text"] as? String == "Oma video")
            try await data.erase(member: member)
            #expect(try await app.digital.service.myMappings(member: member).isEmpty)
            #expect(try await app.digital.service.myGoals(member: member).isEmpty)
        }
    }

    // MARK: the worker's pages

    @Test func aWorkerMapsAClientOnThePagesPicksAGoalAndMarksItDone() async throws {
        try await withApp { app, client in
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let (_, member) = try await DigitalSupportTests.member(app, client, "Sivulla")
            let unknown = try await worker.get("/digital/mapping/new?nickname=Kukaan")
            #expect(unknown.status == .badRequest && unknown.text.contains("No client has this nickname."))
            #expect(try await worker.get("/digital/mapping/new?nickname=sivulla").status == .ok)
            var form: [(String, String)] = [("nickname", "sivulla")]
            for q in MappingDefaults.questions { form.append(("q_\(q.id)", q.theme == .content ? "3" : "2")) }
            let missing = try await worker.post("/digital/mapping/new", Array(form.dropLast()))
            #expect(missing.status == .badRequest && missing.text.contains(#"value="sivulla""#))
            let done = try await worker.post("/digital/mapping/new", form)
            #expect(done.status == .seeOther && done.headers[.location] == "/digital/mapping/clients/\(member.text())?saved=1")
            let page = try await worker.get("/digital/mapping/clients/\(member.text())?saved=1")
            #expect(page.text.contains("Result: Practical user"))
            #expect(try await worker.get("/digital/mapping").text.contains("/digital/mapping/clients/\(member.text())"))
            // A suggested goal picked, a refused one written, then the first marked done.
            let base = "/digital/mapping/clients/\(member.text())"
            #expect(try await worker.post("\(base)/goals", [("theme", "safety"), ("text", "I learn to spot a scam.")]).status == .seeOther)
            let refused = try await worker.post("\(base)/goals", [("theme", "safety"), ("text", "")])
            #expect(refused.status == .badRequest && refused.text.contains("Write the goal on one line"))
            let goal = try #require(try await app.digital.service.myGoals(member: member).first)
            #expect(try await worker.post("\(base)/goals/\(goal.id.text())/status", [("done", "1")]).status == .seeOther)
            #expect(try await app.digital.service.myGoals(member: member).map(\.done) == [true])
            #expect(try await worker.get(base).text.contains("<strong>Chosen</strong>"))
        }
    }
}
