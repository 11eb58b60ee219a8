import ArgumentParser
@main struct SID: ParsableCommand { func run() {} }
