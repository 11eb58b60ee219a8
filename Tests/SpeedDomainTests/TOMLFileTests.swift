import Testing
import TOMLSupport

@Suite("TOML configuration files")
struct TOMLFileTests {
    struct Sample: Codable, Equatable {
        var name: String
        var speed: Double
        var inner: Inner
        struct Inner: Codable, Equatable { var count: Int }
    }

    @Test("an integer decodes into a Double field")
    func integerAsDouble() throws {
        let sample = try TOMLFile.decode(Sample.self, from: "name = \"a\"\nspeed = 31\n[inner]\ncount = 2\n", file: "s.toml")
        #expect(sample == Sample(name: "a", speed: 31, inner: .init(count: 2)))
    }

    @Test("a syntax error names the file and line")
    func syntaxError() {
        #expect {
            _ = try TOMLFile.decode(Sample.self, from: "name = \"a\"\nspeed = = 3\n", file: "s.toml")
        } throws: { error in
            let e = error as? ConfigurationError
            return e?.file == "s.toml" && e?.line == 2
        }
    }

    @Test("a fraction where a whole number belongs is named by its path")
    func fractionForWholeNumber() {
        #expect {
            _ = try TOMLFile.decode(Sample.self, from: "name = \"a\"\nspeed = 20.5\n[inner]\ncount = 2.5\n", file: "s.toml")
        } throws: { error in
            let e = error as? ConfigurationError
            return e?.file == "s.toml" && e?.field == "inner.count" && e?.detail == "must be a whole number"
        }
    }

    @Test("a missing, mistyped or unknown field is named by its path")
    func fieldErrors() {
        func field(_ text: String) -> String? {
            do {
                _ = try TOMLFile.decode(Sample.self, from: text, file: "s.toml")
                return nil
            } catch {
                return error.field
            }
        }
        #expect(field("name = \"a\"\nspeed = 1\n") == "inner")
        #expect(field("name = \"a\"\nspeed = \"fast\"\n[inner]\ncount = 1\n") == "speed")
        #expect(field("name = \"a\"\nspeed = 1\n[inner]\ncount = 1\ncolour = \"red\"\n") == "inner.colour")
    }
}
