import SpeedDomain
import Testing
@testable import VehicleDetection

@Suite("Time-of-flight detector")
struct TimeOfFlightDetectorTests {
    let spacing = 2.0

    /// Edges of a vehicle whose axles cross detector A at `axleTimes` (s), at `mph`.
    func vehicle(at start: Double, mph: Double, axles: [Double], approaching: Bool = true) -> [Edge] {
        let v = Speed.mph(mph).metresPerSecond
        var edges: [Edge] = []
        for offset in axles {
            let a = start + offset / v
            let b = a + (approaching ? 1 : -1) * spacing / v
            edges.append(Edge(timestampNs: UInt64(a * 1e9), channel: 0))
            edges.append(Edge(timestampNs: UInt64(b * 1e9), channel: 1))
        }
        return edges
    }

    func detect(_ edges: [Edge]) throws -> [Reading] {
        var detector = try VehicleDetector(sensor: .timeOfFlight(spacingMetres: spacing), settings: DetectorSettings())
        var readings: [Reading] = []
        detector.process(EdgeBatch(edges: edges.sorted { $0.timestampNs < $1.timestampNs }), into: &readings)
        detector.finish(into: &readings)
        return readings
    }

    @Test("a two-axle car gives one reading at its speed and direction", arguments: [true, false])
    func car(approaching: Bool) throws {
        let readings = try detect(vehicle(at: 10, mph: 30, axles: [0, 2.7], approaching: approaching))
        try #require(readings.count == 1)
        #expect(abs(readings[0].speed.mph - 30) < 0.01)
        #expect(readings[0].direction == (approaching ? .approaching : .receding))
    }

    @Test("vehicles far apart are separate; a lorry's axles are one vehicle")
    func separation() throws {
        let edges = vehicle(at: 10, mph: 28, axles: [0, 3.8, 10.2, 11.5]) + vehicle(at: 14, mph: 33, axles: [0, 2.7])
        let readings = try detect(edges)
        #expect(readings.count == 2)
        #expect(readings.map { $0.speed.mph.rounded() } == [28, 33])
    }

    @Test("a missed trigger or a spurious one does not corrupt the speed")
    func missedAndSpurious() throws {
        var edges = vehicle(at: 10, mph: 30, axles: [0, 3.8, 10.2, 11.5])
        edges.remove(at: 6)  // the last axle's trigger on A is missed
        var readings = try detect(edges)
        try #require(readings.count == 1)
        #expect(abs(readings[0].speed.mph - 30) < 0.01)

        edges = vehicle(at: 20, mph: 25, axles: [0, 2.7]) + [Edge(timestampNs: 20_050_000_000, channel: 1)]
        readings = try detect(edges)
        try #require(readings.count == 1)
        #expect(abs(readings[0].speed.mph - 25) < 0.01)
    }

    @Test("a two-axle vehicle that lost a trigger is ambiguous, and is not given a guessed speed")
    func ambiguousPair() throws {
        // A0, B0, B1: the car at 30 mph with B1 stray, or at 12.8 mph with B0 stray.
        var edges = vehicle(at: 10, mph: 30, axles: [0, 2.7])
        edges.remove(at: 2)
        #expect(try detect(edges).isEmpty)
    }
}
