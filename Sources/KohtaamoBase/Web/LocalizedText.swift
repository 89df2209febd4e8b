/// Text in the three languages of the product.
package struct LocalizedText: Sendable, Equatable {
    package var fi: String
    package var sv: String
    package var en: String
    package init(fi: String, sv: String, en: String) {
        (self.fi, self.sv, self.en) = (fi, sv, en)
    }
    /// The text in `language`, falling back to Finnish when that one is empty.
    package func `in`(_ language: Language) -> String {
        let value: String
        switch language {
        case .fi: value = fi
        case .sv: value = sv
        case .en: value = en
        }
        return value.isEmpty ? fi : value
    }
}
