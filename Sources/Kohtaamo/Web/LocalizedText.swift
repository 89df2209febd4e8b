/// Text in the three languages of the product.
public struct LocalizedText: Sendable, Equatable {
    public var fi: String
    public var sv: String
    public var en: String
    public init(fi: String, sv: String, en: String) {
        (self.fi, self.sv, self.en) = (fi, sv, en)
    }
    /// The text in `language`, falling back to Finnish when that one is empty.
    public func `in`(_ language: Language) -> String {
        let value: String
        switch language {
        case .fi: value = fi
        case .sv: value = sv
        case .en: value = en
        }
        return value.isEmpty ? fi : value
    }
}
