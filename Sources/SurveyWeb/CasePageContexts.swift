// The contexts of the case pages' templates (`cases`, `case`), one type per template as in
// PageContexts.swift: a misspelled key does not compile, a nil optional leaves its section out.

/// A choice in a `<select>`.
struct PageOption {
    var value: String
    var label: String
    var selected: Bool
}

/// The `cases` template: the list of cases with its filters and keyset paging.
struct CaseListContext {
    struct Filter {
        var label: String
        var options: [PageOption]
    }

    struct Row {
        var id: String
        var href: String
        var department: String
        var state: String
        var pending: String?
        var opened: String
        var deadline: String
        /// The text marker of an overdue case; the row's class also marks it.
        var overdue: String?
        var rowClass: String
        var assignee: String
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var stateLabel: String
    var states: [PageOption]
    /// Only when the user sees more than one department.
    var departmentFilter: Filter?
    var overdueLabel: String
    var overdueChecked: Bool
    var assigneeLabel: String
    var assignee: String
    var apply: String
    var lang: String?
    var idHeading: String
    var departmentHeading: String
    var stateHeading: String
    var openedHeading: String
    var deadlineHeading: String
    var assigneeHeading: String
    var rows: [Row]
    var empty: String?
    var nextHref: String?
    var nextLabel: String
    var firstHref: String?
    var firstLabel: String
}

/// The `case` template: one case, its rating, its history and the forms of the actions
/// the signed-in person may take now.
struct CaseDetailContext {
    struct Rating {
        var label: String
        var level: String
        var value: Int
        var negative: Bool
    }

    struct Fact {
        var label: String
        var value: String
        var className: String
    }

    struct Event {
        var when: String
        var who: String
        var action: String
        var change: String
        var note: String
        var data: String
    }

    struct TextField {
        var name: String
        var label: String
        var required: Bool
    }

    struct Select {
        var name: String
        var label: String
        var options: [PageOption]
    }

    struct NumberField {
        var name: String
        var label: String
        var min: Int
        var max: Int
    }

    struct Checkbox {
        var name: String
        var label: String
    }

    /// One action's form: posts `action`, the CSRF token and the action's fields.
    struct ActionForm {
        var action: String
        var title: String
        var formAction: String
        var csrfToken: String
        var selects: [Select]
        var number: NumberField?
        var checkbox: Checkbox?
        var texts: [TextField]
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var backHref: String
    var backLabel: String
    var errorHeading: String
    var error: String?
    var responseHeading: String
    var ratings: [Rating]
    var responseFacts: [Fact]
    var caseFacts: [Fact]
    var historyHeading: String
    var whenHeading: String
    var whoHeading: String
    var actionHeading: String
    var changeHeading: String
    var noteHeading: String
    var events: [Event]
    var actionsHeading: String
    var forms: [ActionForm]
    var noActions: String?
}
