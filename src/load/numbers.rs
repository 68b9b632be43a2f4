//! Numbers as real exports write them, decided per column: a column's decimal mark and grouping
//! mark come from all of its cells, so `1.098,96`, `1.153` and `1.164,83` in one column are read
//! alike (1098.96, 1153, 1164.83), and a column that writes `1.098,96` on one line and `1,098.96`
//! on another is refused rather than half misread.
//!
//! Every number read must also be finite and plausible for its column: an overflowing
//! `1e400`, a subnormal `1e-320` or a million-digit cell is an error naming the line, never a
//! value that turns into an infinite return later.

/// The smallest and largest prices read as plausible. Below 1e-8 (subnormal numbers included)
/// or above 1e12, a price is a corrupt cell, and its returns would overflow or vanish.
pub const PRICE_RANGE: (f64, f64) = (1e-8, 1e12);
/// The largest volume read as plausible (shares or currency units per day).
pub const MAX_VOLUME: f64 = 1e15;
/// The largest absolute factor return read as plausible, in the file's own unit (percent in a
/// Ken French file): a daily factor beyond ±1000% is a corrupt cell.
pub const MAX_FACTOR: f64 = 1000.0;

/// How the cells of one column write their numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// `.` or `,`.
    pub decimal: u8,
    /// The thousands mark (`,`, `.`, or none decided).
    pub grouping: Option<u8>,
}

/// What one cell says about its column's marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// The cell shows this mark is the decimal mark.
    Decimal(u8),
    /// Nothing decisive (no mark, or one mark that could be either).
    None,
}

fn evidence(cell: &str) -> Evidence {
    let b = cell.as_bytes();
    let (commas, dots) =
        b.iter().fold((0usize, 0usize), |(c, d), &x| (c + usize::from(x == b','), d + usize::from(x == b'.')));
    match (commas, dots) {
        (0, 0) => Evidence::None,
        // `1,234,567` or `1.234.567`: the repeated mark groups thousands (anything else is no
        // number at all, and says nothing).
        (_, 0) if commas > 1 => {
            if groups_by_three(b, b',') {
                Evidence::Decimal(b'.')
            } else {
                Evidence::None
            }
        }
        (0, _) if dots > 1 => {
            if groups_by_three(b, b'.') {
                Evidence::Decimal(b',')
            } else {
                Evidence::None
            }
        }
        (1, 0) | (0, 1) => {
            let mark = if commas == 1 { b',' } else { b'.' };
            let pos = b.iter().position(|&c| c == mark).unwrap_or(0);
            let after = b[pos + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let before = b[..pos].iter().rev().take_while(|c| c.is_ascii_digit()).count();
            // `1,153` or `1.153` could group thousands or hold three decimals.
            if after == 3 && (1..=3).contains(&before) && pos + 4 == b.len() {
                Evidence::None
            } else {
                Evidence::Decimal(mark)
            }
        }
        _ => {
            let last_comma = b.iter().rposition(|&c| c == b',').unwrap_or(0);
            let last_dot = b.iter().rposition(|&c| c == b'.').unwrap_or(0);
            Evidence::Decimal(if last_comma > last_dot { b',' } else { b'.' })
        }
    }
}

/// Whether `mark` groups the digits of `b` by three (`1,234,567`).
fn groups_by_three(b: &[u8], mark: u8) -> bool {
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    let mut groups = digits.split(|&c| c == mark);
    let first = groups.next().unwrap_or(&[]);
    (1..=3).contains(&first.len())
        && first.iter().all(u8::is_ascii_digit)
        && groups.all(|g| g.len() == 3 && g.iter().all(u8::is_ascii_digit))
}

/// Two cells of one column that write their decimal mark differently.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedMarks {
    pub first: (usize, String),
    pub second: (usize, String),
}

impl MixedMarks {
    /// The sentence for the error message.
    pub fn describe(&self) -> String {
        let mark = |c: &str| if evidence(c) == Evidence::Decimal(b',') { "a decimal comma" } else { "a decimal point" };
        format!(
            "the column mixes number formats: line {} writes '{}' ({}) and line {} writes '{}' ({}); expected one decimal mark in the whole column",
            self.first.0,
            shown(&self.first.1),
            mark(&self.first.1),
            self.second.0,
            shown(&self.second.1),
            mark(&self.second.1)
        )
    }
}

/// Decides a column's marks from its cells (`(line, cell)`). `semicolon_file` is the default for
/// a column with no decisive cell: a `;` file writes decimal commas, others decimal points.
pub fn column_format<'a>(
    cells: impl Iterator<Item = (usize, &'a str)>,
    semicolon_file: bool,
) -> Result<NumberFormat, MixedMarks> {
    let mut decided: Option<(u8, usize, &str)> = None;
    for (line, cell) in cells {
        // The common case, digits with at most a decimal point, says nothing beyond `.`.
        let Evidence::Decimal(mark) = evidence(cell) else { continue };
        match decided {
            None => decided = Some((mark, line, cell)),
            Some((m, l, c)) if m != mark => {
                return Err(MixedMarks { first: (l, c.to_string()), second: (line, cell.to_string()) })
            }
            Some(_) => {}
        }
    }
    let decimal = decided.map(|d| d.0).unwrap_or(if semicolon_file { b',' } else { b'.' });
    let grouping = match decimal {
        b',' => Some(b'.'),
        _ => Some(b','),
    };
    Ok(NumberFormat { decimal, grouping })
}

/// Why a number cell was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number in the column's format.
    NotNumber,
    /// A number, but not finite or outside the plausible range.
    OutOfRange,
}

/// Exact powers of ten as f64 (10^0 to 10^22 are exactly representable).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// `-?digits[.digits]` of at most 15 significant digits (a price as exports write it), read
/// as `m / 10^f` with m the digits as an integer and f the count of decimals: m < 2⁵³ and
/// 10^f are exact in f64 and the division is correctly rounded, so the value is the decimal's
/// nearest f64, as `str::parse` gives (Clinger's fast path). `None` for anything else.
pub(crate) fn short_decimal(b: &[u8]) -> Option<f64> {
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let (mut m, mut count, mut decimals, mut point) = (0u64, 0usize, 0usize, false);
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                count += 1;
                if count > 15 {
                    return None;
                }
                m = m * 10 + u64::from(c - b'0');
                decimals += usize::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let v = m as f64 / POW10[decimals];
    Some(if negative { -v } else { v })
}

/// Reads a cell in `fmt`: `Ok(None)` for a missing value (empty, `null`, `NaN`, `-`, ...),
/// `Err` for text that is not a number or a number that is not finite. Grouping marks must
/// group by three (`1,234,567`); a currency sign, spaces and apostrophes are ignored.
pub fn parse_number(cell: &str, fmt: NumberFormat) -> Result<Option<f64>, NumberError> {
    // The common case, a plain number such as `123.45`, without the allocations below.
    if fmt.decimal == b'.' {
        if let Some(v) = short_decimal(cell.as_bytes()) {
            return Ok(Some(v));
        }
    }
    if fmt.decimal == b'.' && cell.bytes().all(|c| c.is_ascii_digit() || c == b'.' || c == b'-') {
        if let Ok(v) = cell.parse::<f64>() {
            return if v.is_finite() { Ok(Some(v)) } else { Err(NumberError::OutOfRange) };
        }
    }
    let s = cell.trim().trim_matches('"').trim();
    if is_missing(s) {
        return Ok(None);
    }
    let s = s.strip_prefix('$').unwrap_or(s).trim();
    let s: String = s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')).collect();
    let (sign, digits) = match s.strip_prefix(['-', '+']) {
        Some(rest) => (&s[..1], rest),
        None => ("", s.as_str()),
    };
    // Split off an exponent (`1.5e3`); marks live in the mantissa only.
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(i) => (&digits[..i], &digits[i..]),
        None => (digits, ""),
    };
    let (int, frac) = match mantissa.rfind(fmt.decimal as char) {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let int = match fmt.grouping {
        Some(g) if int.contains(g as char) => {
            let groups: Vec<&str> = int.split(g as char).collect();
            if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|x| x.len() != 3) {
                return Err(NumberError::NotNumber);
            }
            groups.concat()
        }
        _ => int.to_string(),
    };
    let frac = frac.unwrap_or("");
    let ok = |p: &str| p.bytes().all(|c| c.is_ascii_digit());
    if !ok(&int) || !ok(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(NumberError::NotNumber);
    }
    let text = format!("{sign}{int}.{frac}{exponent}");
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(NumberError::OutOfRange),
        Err(_) => Err(NumberError::NotNumber),
    }
}

/// The texts exports write for a missing value.
pub fn is_missing(s: &str) -> bool {
    s.is_empty()
        || matches!(s.to_ascii_lowercase().as_str(), "null" | "nan" | "na" | "n/a" | "none" | "-" | "#n/a" | "nat")
}

/// A cell as shown in a message: at most 40 characters, with the length of a longer one.
pub fn shown(cell: &str) -> String {
    let n = cell.chars().count();
    if n <= 40 {
        cell.to_string()
    } else {
        format!("{}... ({n} characters)", cell.chars().take(32).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path reads a short decimal as `str::parse` does, to the bit: random digits and
    /// decimals, signs, leading and trailing zeros, `1.` and `.5`; longer or other cells are
    /// left to the general path.
    #[test]
    fn short_decimals_read_as_str_parse() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let digits = 1 + (next() % 15) as usize;
            let text: String = (0..digits).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let point = (next() % (digits as u64 + 2)) as usize;
            let mut cell = if point <= digits { format!("{}.{}", &text[..point], &text[point..]) } else { text };
            if next() % 4 == 0 {
                cell.insert(0, '-');
            }
            let want: f64 = cell.parse().unwrap();
            let got = short_decimal(cell.as_bytes()).unwrap_or_else(|| panic!("{cell}"));
            assert_eq!(got.to_bits(), want.to_bits(), "{cell}");
        }
        for cell in ["", ".", "-", "1.2.3", "1-2", "+5", "1e5", "1234567890123456", "0.0000000000000001", "12,5"] {
            assert_eq!(short_decimal(cell.as_bytes()), None, "{cell}");
        }
        assert_eq!(short_decimal(b"-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(short_decimal(&[b'9'; 400]), None, "no overflow on a long cell");
    }

    const POINT: NumberFormat = NumberFormat { decimal: b'.', grouping: Some(b',') };
    const COMMA: NumberFormat = NumberFormat { decimal: b',', grouping: Some(b'.') };

    fn format_of(cells: &[&str], semicolon: bool) -> Result<NumberFormat, MixedMarks> {
        column_format(cells.iter().enumerate().map(|(i, c)| (i + 2, *c)), semicolon)
    }

    #[test]
    fn a_column_decides_its_marks_from_all_its_cells() {
        // Regression: `1.153` between decimal-comma cells was read as 1.153.
        let f = format_of(&["1.098,96", "1.153", "1.164,83"], true).unwrap();
        assert_eq!(f, COMMA);
        assert_eq!(parse_number("1.153", f), Ok(Some(1153.0)));
        assert_eq!(parse_number("1.098,96", f), Ok(Some(1098.96)));
        assert_eq!(format_of(&["1,008.80", "1,008"], false).unwrap(), POINT);
        assert_eq!(format_of(&["3,5", "4"], false).unwrap(), COMMA, "a lone comma with one decimal is decimal");
        assert_eq!(format_of(&["1,153"], true).unwrap(), COMMA, "undecided: the ';' file's default");
        assert_eq!(format_of(&["1.153"], false).unwrap(), POINT);
        let mixed = format_of(&["1.098,96", "1,098.96"], true).unwrap_err();
        assert_eq!((mixed.first.0, mixed.second.0), (2, 3));
        assert!(mixed.describe().contains("a decimal comma") && mixed.describe().contains("a decimal point"));
        assert!(format_of(&["1.5", "2,5"], true).is_err());
    }

    #[test]
    fn numbers_must_be_finite_and_well_formed() {
        assert_eq!(parse_number("123.45", POINT), Ok(Some(123.45)));
        assert_eq!(parse_number("$1,234,567.5", POINT), Ok(Some(1234567.5)));
        assert_eq!(parse_number("-1.5e3", POINT), Ok(Some(-1500.0)));
        assert_eq!(parse_number("1e400", POINT), Err(NumberError::OutOfRange));
        assert_eq!(parse_number(&"9".repeat(1_000_000), POINT), Err(NumberError::OutOfRange));
        assert_eq!(parse_number("inf", POINT), Err(NumberError::NotNumber));
        assert_eq!(parse_number("NaN", POINT), Ok(None));
        assert_eq!(parse_number("12.3.4", POINT), Err(NumberError::NotNumber));
        assert_eq!(parse_number("1,23", POINT), Err(NumberError::NotNumber), "comma grouping by three only");
        assert_eq!(parse_number("3,3375", COMMA), Ok(Some(3.3375)));
        assert_eq!(parse_number(".", POINT), Err(NumberError::NotNumber));
        assert!(shown(&"1".repeat(100)).ends_with("(100 characters)"));
    }
}
