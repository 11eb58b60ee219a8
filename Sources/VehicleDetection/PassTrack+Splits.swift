/// Where one pass holds two vehicles, and how it is cut in two: at a join
/// (`splitAtJoin`), at a step in an unbroken tone (`splitAtStep`), or where a
/// receding tone climbs a second time (`splitAtSecondClimb`, `splitAtDip`).
extension PassTrack {
    /// Undoes a join that physics forbids: a pass that opens with a climb (a
    /// receding vehicle emerging beside the sensor) and ends in a cosine sag
    /// (an approaching vehicle reaching it) holds two vehicles, since no one
    /// vehicle's tone both climbs after it appears and sags before it leaves.
    /// When the consolidator built it from segments, it is cut at the join
    /// with the longest silence: the receding vehicle's tone faded there and
    /// the approaching one's began. (One unbroken segment is cut only where its
    /// tone steps: `splitAtStep`.) The climb is `opensLow`.
    /// Nil unless the parts pass `parts(cutAt:minimumPartNs:)`.
    func splitAtJoin(riseFraction: Double, minimumPartNs: UInt64) -> (receding: PassTrack, approaching: PassTrack)? {
        guard !joins.isEmpty, opensLow(riseFraction: riseFraction) else { return nil }
        let cut = afterLongestSilence(among: joins)!
        return parts(cutAt: cut, minimumPartNs: minimumPartNs)
    }

    /// Of the window indices given, the one the longest loss of lock came before.
    private func afterLongestSilence(among indices: some Sequence<Int>) -> Int? {
        indices.max { silence(before: $0) < silence(before: $1) }
    }

    /// How long the tone was unlocked between window `index - 1` and window `index`.
    private func silence(before index: Int) -> UInt64 {
        windows[index].startNs > windows[index - 1].endNs ? windows[index].startNs - windows[index - 1].endNs : 0
    }

    /// The receding vehicle's windows before `cut` and the approaching one's
    /// from it, or nil when either part is shorter than `minimumPartNs` or,
    /// with I/Q, both were heard going the same way (then they are not a
    /// receding and an approaching vehicle).
    private func parts(cutAt cut: Int, minimumPartNs: UInt64) -> (receding: PassTrack, approaching: PassTrack)? {
        let receding = PassTrack(windows: windows[..<cut])
        let approaching = PassTrack(windows: windows[cut...])
        guard receding.durationNs >= minimumPartNs, approaching.durationNs >= minimumPartNs else { return nil }
        guard receding.phaseSign == 0 || receding.phaseSign != approaching.phaseSign else { return nil }
        return (receding, approaching)
    }

    /// Cuts an unbroken pass that opens with a climb and ends in a sag (a
    /// receding vehicle handing over to an approaching one, see
    /// `splitAtJoin`) where its tone steps from one steady level to another:
    /// the medians of `block` windows either side of the cut differ by at
    /// least `stepFraction`, and by at least twice the drift of the blocks
    /// beyond them, so a receding vehicle's gradual climb is no step. Two
    /// vehicles at nearly the same speed make no step: then the cut is where
    /// the lock broke for longest, as one return overtook the other, but
    /// only when `cutAtBreak`: the sag showed the approaching vehicle reach
    /// the sensor. A receding car's tone also breaks now and then, and can
    /// end in a drop to a slower vehicle's lingering tone (`PassEnd.sag`);
    /// cut at a break, such a pass read as two cars at its speed.
    /// Nil when the opening is no real climb (the median of its first twelfth
    /// lies less than `riseFraction` below the plateau), when the tone is a
    /// rider's wobble that opened in a trough (`isWobbling`), when neither a
    /// step nor a break stands between the climb and the sag, or when the
    /// parts fail `parts(cutAt:minimumPartNs:)`.
    func splitAtStep(
        plateauHz: Double, riseFraction: Double, stepFraction: Double, block: Int, minimumPartNs: UInt64, cutAtBreak: Bool
    ) -> (receding: PassTrack, approaching: PassTrack)? {
        let n = windows.count
        let head = max(5, n / 12)
        guard n >= 2 * head + 4 * block else { return nil }
        var scratch: [Double] = []
        scratch.reserveCapacity(max(head, block))
        func median(_ range: Range<Int>) -> Double { medianHz(range, scratch: &scratch) }
        guard median(0..<head) < plateauHz * (1 - riseFraction), !isWobbling else { return nil }
        // The cut's blocks and the blocks beyond them stay clear of the opening climb and the closing sag.
        let middle = (head + 2 * block)...(n - head - 2 * block)
        var best: (cut: Int, step: Double)?
        for cut in middle {
            let left = median((cut - block)..<cut), right = median(cut..<(cut + block))
            let step = abs(right / left - 1)
            guard step >= stepFraction, step > (best?.step ?? 0) else { continue }
            let leftDrift = abs(left / median((cut - 2 * block)..<(cut - block)) - 1)
            let rightDrift = abs(median((cut + block)..<(cut + 2 * block)) / right - 1)
            guard step >= 2 * max(leftDrift, rightDrift) else { continue }
            best = (cut, step)
        }
        // Two vehicles at the same speed make no step; where the lock broke as
        // one return overtook the other is the cut (when `cutAtBreak`).
        let atBreak = cutAtBreak ? afterLongestSilence(among: middle).flatMap { silence(before: $0) > 0 ? $0 : nil } : nil
        let cut = best?.cut ?? atBreak
        guard let cut, var split = parts(cutAt: cut, minimumPartNs: minimumPartNs) else { return nil }
        split.receding.handedOver = true
        split.approaching.handedOver = true
        return split
    }

    /// How far a receding pass's tone must climb again above a level it held
    /// for `levelHoldNs` to be a second vehicle (`splitAtSecondClimb`).
    static let secondClimbFraction = 0.12
    static let levelHoldNs: UInt64 = 1_500_000_000
    /// Windows per block whose median `splitAtSecondClimb` compares.
    static let secondClimbBlock = 5

    /// Cuts a receding pass whose tone, having climbed to a level and held it
    /// for `holdNs`, climbs again by `riseFraction`: one vehicle's cosine
    /// only saturates, so the second climb is a faster receding vehicle
    /// emerging behind it, its tone starting near the first one's. Nil when
    /// there is no such second climb, for a rider's wobble, or when the parts
    /// fail `parts(cutAt:minimumPartNs:)`.
    func splitAtSecondClimb(
        riseFraction: Double = secondClimbFraction, block: Int = secondClimbBlock, holdNs: UInt64 = levelHoldNs, minimumPartNs: UInt64
    ) -> (earlier: PassTrack, later: PassTrack)? {
        let n = windows.count
        guard n >= 6 * block, durationNs >= holdNs + minimumPartNs else { return nil }
        let medians = blockMediansHz(block)
        // The first level held for holdNs: consecutive blocks within riseFraction / 3 of its first block.
        var levelEnd: Int?
        var level = 0.0
        var first = 0
        while first < medians.count, levelEnd == nil {
            var last = first
            while last + 1 < medians.count, abs(medians[last + 1] / medians[first] - 1) <= riseFraction / 3 { last += 1 }
            let span = windows[min(n - 1, (last + 1) * block - 1)].endNs - windows[first * block].startNs
            if span >= holdNs {
                levelEnd = last
                level = medians[first...last].sorted()[(last - first) / 2]
            }
            first = last + 1
        }
        guard let levelEnd else { return nil }
        // Two blocks in a row above the level by riseFraction: a second climb, cut where it left the level.
        var climb: Int?
        for index in (levelEnd + 1)..<max(levelEnd + 1, medians.count - 1) where medians[index] > level * (1 + riseFraction) && medians[index + 1] > level * (1 + riseFraction) {
            climb = index
            break
        }
        guard var cutBlock = climb, !isWobbling else { return nil }
        while cutBlock > levelEnd + 1, medians[cutBlock - 1] > level * (1 + riseFraction / 2) { cutBlock -= 1 }
        guard let split = parts(cutAt: cutBlock * block, minimumPartNs: minimumPartNs) else { return nil }
        var (earlier, later) = (split.receding, split.approaching)
        earlier.handedOver = true
        later.handedOver = true
        return (earlier, later)
    }

    /// How far a receding pass's tone must dip below the highest level it
    /// has reached, and then climb back from the bottom, for the climb to be
    /// another vehicle's (`splitAtDip`).
    static let dipFraction = 0.10
    /// How long the lock must have broken near the bottom of such a dip.
    static let dipBreakNs: UInt64 = 20_000_000

    /// Cuts a receding pass whose tone dips `dipFraction` below the highest
    /// level it has reached and then climbs `dipFraction` above the bottom of
    /// the dip, where the lock broke for `breakNs` or more (within a block
    /// of the bottom): one vehicle's cosine only grows, so the new climb is a
    /// nearer receding vehicle that emerged beside the sensor and took the
    /// comparator, its tone starting low; as the two returns were of about
    /// equal strength, their beat broke the lock. (A rider's wobble dips as
    /// deep, but stays locked.) Cut at the bottom block. Nil when there is no
    /// such dip, for a rider's wobble (`isWobbling`), or when the parts fail
    /// `parts(cutAt:minimumPartNs:)`.
    func splitAtDip(
        dipFraction: Double = dipFraction, block: Int = secondClimbBlock, breakNs: UInt64 = dipBreakNs, minimumPartNs: UInt64
    ) -> (earlier: PassTrack, later: PassTrack)? {
        let n = windows.count
        // No break anywhere, no cut: a scan far cheaper than the block medians.
        guard n >= 6 * block, (1..<n).contains(where: { silence(before: $0) >= breakNs }) else { return nil }
        let medians = blockMediansHz(block)
        var peak = medians[0]
        var index = 1
        while index < medians.count {
            guard medians[index] < peak * (1 - dipFraction) else {
                peak = max(peak, medians[index])
                index += 1
                continue
            }
            var bottom = index
            while bottom + 1 < medians.count, medians[bottom + 1] <= medians[bottom] { bottom += 1 }
            let lockBroke = (max(1, (bottom - 1) * block)..<min(n, (bottom + 2) * block)).contains { silence(before: $0) >= breakNs }
            if lockBroke, Self.climbsAgain(medians, from: bottom, by: dipFraction) {
                // The wobble test costs more than the search, so it waits for a dip.
                if isWobbling { return nil }
                if var (earlier, later) = parts(cutAt: bottom * block, minimumPartNs: minimumPartNs) {
                    earlier.handedOver = true
                    later.handedOver = true
                    return (earlier, later)
                }
            }
            peak = medians[bottom]
            index = bottom + 1
        }
        return nil
    }

    /// The median tone of each run of `block` windows, in order (a last, shorter run is left out).
    private func blockMediansHz(_ block: Int) -> [Double] {
        var scratch: [Double] = []
        return stride(from: 0, to: windows.count - block + 1, by: block).map { start in medianHz(start..<(start + block), scratch: &scratch) }
    }

    /// Whether two blocks in a row after `bottom` lie `fraction` above it,
    /// before any block falls below it again.
    private static func climbsAgain(_ medians: [Double], from bottom: Int, by fraction: Double) -> Bool {
        let target = medians[bottom] * (1 + fraction)
        var index = bottom + 1
        while index + 1 < medians.count, medians[index] >= medians[bottom] {
            if medians[index] >= target, medians[index + 1] >= target { return true }
            index += 1
        }
        return false
    }
}
