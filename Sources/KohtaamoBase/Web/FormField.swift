/// One field of a server-rendered form, as typed, with its refusal, for the
/// shared `coaching_times_field` partial (coaching's times, reach-out's plans).
/// `kind` is `text`, `date`, `time`, `number`, `select` or `textarea`.
package struct FormField: Sendable {
    package let id: String
    package let name: String
    package let label: String
    package let hint: String?
    package let value: String
    package let error: String?
    package let isSelect: Bool
    package let isTextarea: Bool
    package let type: String
    package let options: [FieldOption]
    /// Only for free text (a date or a number has none).
    package let maxlength: Int?
    /// The hint's and the error's ids.
    package let describedBy: String?

    package init(
        id: String, name: String, label: String, hint: String? = nil, value: String, error: String?, kind: String = "text",
        options: [FieldOption] = [], maxlength: Int = 200
    ) {
        (self.id, self.name, self.label, self.hint, self.value, self.error) = (id, name, label, hint, value, error)
        (isSelect, isTextarea, type, self.options) = (kind == "select", kind == "textarea", kind, options)
        self.maxlength = kind == "text" || kind == "textarea" ? maxlength : nil
        let ids = (hint == nil ? [] : ["\(id)-hint"]) + (error == nil ? [] : ["\(id)-error"])
        describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

/// A choice in a `<select>`, a radio group or a checkbox list.
package struct FieldOption: Sendable {
    package let value: String
    package let label: String
    package let selected: Bool

    package init(value: String, label: String, selected: Bool) {
        (self.value, self.label, self.selected) = (value, label, selected)
    }
}
