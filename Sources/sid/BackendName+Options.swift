import ArgumentParser

extension BackendName {
    /// The scenario the simulator runs when neither `<input>` nor `--scenario` names one.
    static let defaultScenario = "quiet-20mph"

    /// Refuses source options this backend would silently ignore, and a scenario given twice.
    /// - Parameters:
    ///   - input: the `<input>` argument (a capture file, or a scenario for the simulator).
    ///   - scenario: `--scenario`, if given.
    ///   - realtime: whether `--realtime` was given.
    /// - Throws: `ValidationError` naming the options that conflict.
    func checkSourceOptions(input: String?, scenario: String?, realtime: Bool = false) throws {
        if self == .simulator {
            if let input, let scenario {
                throw ValidationError("the scenario is given twice, as <input> '\(input)' and --scenario '\(scenario)': give one")
            }
            return
        }
        let reads = self == .replay ? "reads the capture file <input>" : "reads the pins in the configuration's [gpio] table"
        if let scenario { throw ValidationError("--scenario '\(scenario)' is for --backend simulator; --backend \(rawValue) \(reads)") }
        if realtime { throw ValidationError("--realtime paces the simulator; --backend \(rawValue) \(reads)") }
        if self == .gpio, let input { throw ValidationError("--backend gpio takes no <input> ('\(input)'); it \(reads)") }
    }
}
