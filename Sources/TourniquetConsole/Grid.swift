/// What a cell means, not what colour it is: the terminal maps roles to colours (or to plain text
/// under NO_COLOR and on monochrome terminals).
public enum StyleRole: Int, CaseIterable, Sendable {
    case normal, title, header, selected, dim, footer, key, critical, high, medium, low, good, warning, escaped
}

/// One screen cell: a grapheme and its role. A wide grapheme's second cell holds `""`.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: StyleRole
}

/// A screen as text: the pure output of rendering. The run loop paints it; tests compare it.
public struct Grid: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public private(set) var cells: [Cell]

    public init(rows: Int, columns: Int) {
        self.rows = max(rows, 1)
        self.columns = max(columns, 1)
        cells = Array(repeating: Cell(text: " ", role: .normal), count: self.rows * self.columns)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Writes already-sanitised text at (row, column), cut to `width` display columns (default: to
    /// the edge). Returns the number of columns used. Never writes outside the grid.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, width: Int? = nil, role: StyleRole = .normal) -> Int {
        guard row >= 0, row < rows, column >= 0, column < columns else { return 0 }
        let limit = min(width ?? (columns - column), columns - column)
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A combining mark joins the previous cell's grapheme.
                if used > 0 { cells[row * columns + column + used - 1].text.append(character) }
                continue
            }
            if used + w > limit {
                if limit > 0 && used < limit && w == 1 { break }
                if used > 0 && limit > 1 { cells[row * columns + column + min(used, limit) - 1] = Cell(text: "…", role: role) }
                break
            }
            cells[row * columns + column + used] = Cell(text: String(character), role: role)
            if w == 2 { cells[row * columns + column + used + 1] = Cell(text: "", role: role) }
            used += w
        }
        return used
    }

    /// Lines one under another from the top of `area`, as many as fit.
    public mutating func putLines(_ lines: [(text: String, role: StyleRole)], in area: Area) {
        for (offset, line) in lines.prefix(max(0, area.height)).enumerated() {
            put(line.text, row: area.top + offset, column: area.left, width: area.width, role: line.role)
        }
    }

    /// Fills a row span with a role (for selection bars and headers).
    public mutating func fill(row: Int, from column: Int = 0, width: Int? = nil, role: StyleRole) {
        guard row >= 0, row < rows else { return }
        let end = min(columns, column + (width ?? columns))
        for c in max(0, column)..<end { cells[row * columns + c].role = role }
    }

    /// The grid as plain text lines, trailing spaces trimmed (for snapshots and tests).
    public var text: String {
        var lines: [String] = []
        for r in 0..<rows {
            var line = ""
            for c in 0..<columns { line += cells[r * columns + c].text }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// Terminal column widths of graphemes: wide East Asian and emoji take two, combining marks none.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if character.unicodeScalars.count == 1 && (0x300...0x36F).contains(v) { return 0 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    public static func of(_ text: String) -> Int { text.reduce(0) { $0 + of($1) } }
}
