import Foundation

/// A small inline-SVG chart: axes with ticks, line series and bar series.
/// Self-contained (no script, no external file), so a report pastes into a document.
struct SVGChart {
    struct Series {
        var name: String
        var colour: String
        var points: [(x: Double, y: Double)]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var width = 640.0
    var height = 260.0
    let left = 56.0, right = 16.0, top = 28.0, bottom = 40.0

    func render(lines: [Series] = [], bars: [Series] = [], barWidth: Double = 1, xCategories: [String]? = nil, xDomain: ClosedRange<Double>? = nil) -> String {
        let all = (lines + bars).flatMap(\.points)
        guard !all.isEmpty else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"60\" role=\"img\"><text x=\"8\" y=\"30\">\(html(title)): no data</text></svg>"
        }
        var xMin = all.map(\.x).min()!, xMax = all.map(\.x).max()!
        if !bars.isEmpty { xMin -= barWidth / 2; xMax += barWidth / 2 }
        if let xDomain { xMin = xDomain.lowerBound; xMax = xDomain.upperBound }
        if xMax == xMin { xMax = xMin + 1 }
        let yMax = niceCeiling(max(all.map(\.y).max()!, 1e-9))
        let plotW = width - left - right, plotH = height - top - bottom
        func sx(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func sy(_ y: Double) -> Double { top + plotH - y / yMax * plotH }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n"
        s += "<title>\(html(title))</title>\n<text x=\"\(f(left))\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(html(title))</text>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        for i in 0...4 {
            let y = yMax * Double(i) / 4
            s += "<line x1=\"\(f(left - 4))\" y1=\"\(f(sy(y)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(sy(y)))\" stroke=\"#ddd\"/><text x=\"\(f(left - 6))\" y=\"\(f(sy(y) + 4))\" text-anchor=\"end\">\(label(y))</text>\n"
        }
        if let xCategories {
            let step = max(1, xCategories.count / 10)
            for (i, c) in xCategories.enumerated() where i % step == 0 {
                s += "<text x=\"\(f(sx(Double(i))))\" y=\"\(f(top + plotH + 14))\" text-anchor=\"middle\">\(html(c))</text>\n"
            }
        } else {
            // Ticks at round numbers: a step of 1, 2 or 5 × 10ⁿ giving at most about ten.
            let step = niceCeiling((xMax - xMin) / 10)
            var x = (xMin / step).rounded(.up) * step
            while x <= xMax + 1e-9 {
                s += "<line x1=\"\(f(sx(x)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(sx(x)))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#333\"/><text x=\"\(f(sx(x)))\" y=\"\(f(top + plotH + 15))\" text-anchor=\"middle\">\(label(x))</text>\n"
                x += step
            }
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(html(xLabel))</text>\n"
        s += "<text x=\"12\" y=\"\(f(top + plotH / 2))\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\" text-anchor=\"middle\">\(html(yLabel))</text>\n"
        let slot = barWidth / Double(max(1, bars.count))
        for (k, b) in bars.enumerated() {
            for p in b.points where p.y > 0 {
                let x0 = sx(p.x - barWidth / 2 + Double(k) * slot)
                let w = max(0.5, sx(p.x - barWidth / 2 + Double(k + 1) * slot) - x0 - 0.5)
                s += "<rect x=\"\(f(x0))\" y=\"\(f(sy(p.y)))\" width=\"\(f(w))\" height=\"\(f(top + plotH - sy(p.y)))\" fill=\"\(b.colour)\"/>\n"
            }
        }
        for l in lines where !l.points.isEmpty {
            let pts = l.points.map { "\(f(sx($0.x))),\(f(sy($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(l.colour)\" stroke-width=\"2\" points=\"\(pts)\"/>\n"
        }
        for (i, series) in (bars + lines).enumerated() {
            let x = left + plotW - 150, y = top + 4 + Double(i) * 16
            s += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"12\" height=\"10\" fill=\"\(series.colour)\"/><text x=\"\(f(x + 16))\" y=\"\(f(y + 9))\">\(html(series.name))</text>\n"
        }
        return s + "</svg>"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }
    private func label(_ v: Double) -> String { abs(v - v.rounded()) < 1e-9 ? String(Int(v.rounded())) : String(format: "%.1f", v) }

    private func niceCeiling(_ v: Double) -> Double {
        let magnitude = pow(10, floor(log10(v)))
        for m in [1.0, 2, 5, 10] where m * magnitude >= v { return m * magnitude }
        return 10 * magnitude
    }
}

/// Escapes text for HTML and SVG.
func html(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        .replacingOccurrences(of: "\"", with: "&quot;")
}
