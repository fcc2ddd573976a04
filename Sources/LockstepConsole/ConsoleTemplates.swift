import Foundation
import Mustache

/// The page templates, compiled once. They live in Templates/ as resources embedded
/// in the binary, so an installed `lockstep` needs no files beside it.
struct ConsoleTemplates: Sendable {
    let library: MustacheLibrary
    let stylesheet: String

    init() throws {
        let sources: [String: [UInt8]] = [
            "layout": PackageResources.layout_mustache, "channels": PackageResources.channels_mustache,
            "release": PackageResources.release_mustache, "plan": PackageResources.plan_mustache,
            "installations": PackageResources.installations_mustache, "ledger": PackageResources.ledger_mustache,
            "entry": PackageResources.entry_mustache, "verify": PackageResources.verify_mustache,
            "message": PackageResources.message_mustache, "login": PackageResources.login_mustache,
        ]
        var templates: [String: MustacheTemplate] = [:]
        for (name, bytes) in sources {
            templates[name] = try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self))
        }
        library = MustacheLibrary(templates: templates)
        stylesheet = String(decoding: PackageResources.console_css, as: UTF8.self)
    }

    /// `{{x}}` escapes `& < > " '`; only `body` (rendered here) and the SVG (built with
    /// `SVG.escape`) are inserted raw.
    func page(_ page: ConsolePage, store: String) -> String {
        let body = library.render(page.data, withTemplate: page.template) ?? ""
        let layout: [String: Any] = ["title": page.title, "body": body, "store": store, "nav": [page.section.rawValue: true]]
        return library.render(layout, withTemplate: "layout") ?? ""
    }
}

/// One rendered answer: which template, with what, under which tab.
struct ConsolePage {
    enum Section: String {
        case channels, plan, installations, ledger, none
    }

    var title: String
    var section: Section
    var template: String
    var data: Any
    var status: Int = 200

    static func message(_ title: String, _ message: String, status: Int) -> ConsolePage {
        ConsolePage(title: title, section: .none, template: "message", data: ["message": message], status: status)
    }
}
