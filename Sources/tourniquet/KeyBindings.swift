import ArgumentParser
import TourniquetConsole

extension Tourniquet {
    struct KeyBindings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keybindings", abstract: "Print the console's key bindings as Markdown (docs/KEYBINDINGS.md).")
        func run() { print(KeyBindingDoc.markdown(), terminator: "") }
    }
}
