//! The few calendar computations the tools need, in UTC, without a date
//! crate: parsing ISO 8601 dates, formatting instants, the first day of a
//! month (billing defaults, spec/tools.md §3.6).

const MS_PER_DAY: i64 = 86_400_000;

/// Milliseconds since the epoch of `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (no zone = UTC). Calendar-checked:
/// `2026-02-30` is refused rather than rolled over into March.
pub fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) * MS_PER_DAY;
    if b.len() == 10 {
        return Some(ms);
    }
    if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, m, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    ms += (h * 3600 + m * 60 + sec) * 1000;
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let millis = frac[..digits.min(3)]
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(3)
            .fold(0, |n, d| n * 10 + i64::from(d - b'0'));
        ms += millis;
        rest = &frac[digits..];
    }
    match rest {
        [] | [b'Z'] => Some(ms),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let v = |hi: u8, lo: u8| i64::from(hi - b'0') * 10 + i64::from(lo - b'0');
            let (oh, om) = (v(*h1, *h2), v(*m1, *m2));
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = (oh * 60 + om) * 60_000;
            Some(if *sign == b'+' {
                ms - offset
            } else {
                ms + offset
            })
        }
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as JavaScript's `toISOString`.
pub fn format_iso(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Midnight UTC on the first day of `ms`'s month.
pub fn month_start(ms: i64) -> i64 {
    let (y, m, _) = civil_from_days(ms.div_euclid(MS_PER_DAY));
    days_from_civil(y, m, 1) * MS_PER_DAY
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`] (Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_iso_shapes_the_tools_accept() {
        let jan1 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        assert_eq!(parse_iso("2026-01-01"), Some(jan1));
        assert_eq!(parse_iso("2026-01-01T00:00:00Z"), Some(jan1));
        assert_eq!(parse_iso("2026-01-01T00:00:00"), Some(jan1));
        assert_eq!(parse_iso("2026-01-01T00:00:00.25Z"), Some(jan1 + 250));
        assert_eq!(parse_iso("2026-01-01T01:30:00+01:30"), Some(jan1));
        assert_eq!(parse_iso("2025-12-31T23:00:00-01:00"), Some(jan1));
        assert_eq!(parse_iso("2024-02-29"), Some(1_709_164_800_000));
        for bad in [
            "",
            "2026",
            "2026-13-01",
            "2026-02-30",
            "2025-02-29",
            "2026-1-01",
            "2026-01-01T24:00:00Z",
            "2026-01-01T10:00Z",
            "2026-01-01 10:00:00",
            "2026-01-01T10:00:00.Z",
            "2026-01-01T10:00:00+0100",
            "tomorrow",
            "２０２６-01-01",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_like_to_iso_string_and_finds_month_starts() {
        assert_eq!(format_iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_iso(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
        let now = parse_iso("2026-11-21T15:04:05.678Z").unwrap();
        assert_eq!(format_iso(now), "2026-11-21T15:04:05.678Z");
        assert_eq!(format_iso(month_start(now)), "2026-11-01T00:00:00.000Z");
        for s in [
            "2000-02-29T12:00:00Z",
            "1999-12-31T23:59:59Z",
            "2100-03-01T00:00:00Z",
        ] {
            assert_eq!(format_iso(parse_iso(s).unwrap()).replace(".000", ""), s);
        }
    }
}
