import TourniquetModel

extension ConsoleReducer {
    /// The Respond screen's keys: start the selected playbook, record its next step, cycle a decision's options.
    static func respond(_ command: ConsoleCommand, _ state: inout ConsoleState, _ data: ConsoleData) -> [ConsoleEffect] {
        guard let entry = data.response.playbooks[safe: state.selected(on: state.screen)] else { return refuse("no playbook is selected", &state) }
        let playbook = entry.playbook
        if command == .startPlaybook {
            state.mode = .prompt(.init(purpose: .startPlaybook(playbook, digest: entry.digest), label: "start \(playbook.id) because"))
            return []
        }
        guard let step = entry.currentStep else { return refuse("\(playbook.id) has no next step", &state) }
        switch (command, step.kind) {
        case (.nextOption, .decision(let options)):
            state.respondOption = (state.respondOption + 1) % max(1, options.count)
        case (.completeStep, .decision(let options)):
            let option = options[state.respondOption % max(1, options.count)]
            state.mode = .prompt(
                .init(
                    purpose: .playbookStep(playbook, step: step.id, outcome: .chosen(option: option.label)),
                    label: "\(step.id): \(option.label), because"))
        case (.completeStep, .contain(let contain, _)):
            let count = data.response.answers[contain.from]?.count ?? 0
            state.mode = .prompt(
                .init(
                    purpose: .playbookStep(playbook, step: step.id, outcome: .done),
                    label: "\(step.id): \(contain.action.rawValue) on \(Format.plural(count, "value")) from \(contain.from.rawValue), because"))
        case (.completeStep, _):
            state.mode = .prompt(.init(purpose: .playbookStep(playbook, step: step.id, outcome: .done), label: "\(step.id) done:"))
        case (.skipStep, _):
            state.mode = .prompt(
                .init(purpose: .playbookStep(playbook, step: step.id, outcome: .skipped(reason: "")), label: "skip \(step.id) because"))
        default:
            return refuse("the next step is not a decision", &state)
        }
        return []
    }
}
