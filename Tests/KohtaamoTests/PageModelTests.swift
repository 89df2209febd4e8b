import Foundation
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Page models render as their dictionaries did.
@Suite struct PageModelTests {
    struct Sample: PageModel {
        let name: String
        let note: String?
        let missing: String?
        let rows: [Row]
        let form = true
        struct Row { let label: String }
    }

    @Test func aModelsValuesAreItsStoredPropertiesWithoutTheNilOnes() {
        let values = Views.values(of: Sample(name: "Aino", note: "hei", missing: nil, rows: [.init(label: "a")]))
        #expect(Set(values.keys) == ["name", "note", "rows", "form"])
        #expect(values["name"] as? String == "Aino")
        #expect(values["note"] as? String == "hei")
        #expect(values["form"] as? Bool == true)
        #expect((values["rows"] as? [Sample.Row])?.first?.label == "a")
        #expect(Views.nonEmpty("") == nil && Views.nonEmpty("x") == "x")
    }

    @Test func theMembersOwnPageShowsTheirNickname() async throws {
        try await withApp { _, client in
            let aino = try await GroupTests.member(client, "Aino")
            let page = try await aino.get("/account")
            #expect(page.status == .ok)
            #expect(page.text.contains("Nickname: <strong>Aino</strong>"))
            #expect(page.text.contains(#"<span class="who">(Aino)</span>"#))
            #expect(page.text.contains(#"href="/account/data""#))
        }
    }
}
