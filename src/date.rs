//! Dates from front matter and their Norwegian formatting («9. juni 2023»). Kept small and
//! dependency-free: the generator only needs to parse ISO dates, compare them and print them.

use crate::messages::Message;
use crate::msg;
use std::fmt::Write;

/// A calendar date with an optional time of day, as written in front matter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
    /// Hour, minute and second, when given.
    pub time: Option<(u32, u32, u32)>,
    /// The ISO 8601 text, as templates and feeds see it.
    pub iso: String,
}

/// Month and weekday names and the default format, from a language's `[date]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateNames {
    /// January first.
    pub months: Vec<String>,
    /// Monday first.
    pub weekdays: Vec<String>,
    /// The format `date` uses when none is given.
    pub format: String,
}

impl Default for DateNames {
    /// Bokmål, as Språkrådet writes dates: «9. juni 2023».
    fn default() -> Self {
        let months = "januar februar mars april mai juni juli august september oktober november desember";
        let days = "mandag tirsdag onsdag torsdag fredag lørdag søndag";
        DateNames {
            months: months.split(' ').map(String::from).collect(),
            weekdays: days.split(' ').map(String::from).collect(),
            format: "%-d. %B %Y".into(),
        }
    }
}

impl DateNames {
    /// Reads `months` (12), `weekdays` (7) and `format`; missing keys keep `base` (or bokmål).
    pub fn from_table(t: &toml::Table, base: Option<&DateNames>) -> Result<DateNames, Message> {
        let mut names = base.cloned().unwrap_or_default();
        let list = |key: &str, n: usize| -> Result<Option<Vec<String>>, Message> {
            let Some(v) = t.get(key) else { return Ok(None) };
            let items: Option<Vec<String>> =
                v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect());
            match items {
                Some(items) if items.len() == n => Ok(Some(items)),
                _ => Err(msg!("date.names_list", key = key, count = n, example = names_hint(key))),
            }
        };
        if let Some(m) = list("months", 12)? {
            names.months = m;
        }
        if let Some(w) = list("weekdays", 7)? {
            names.weekdays = w;
        }
        if let Some(f) = t.get("format") {
            names.format = f.as_str().ok_or_else(|| msg!("date.format_text"))?.to_string();
        }
        Ok(names)
    }
}

fn names_hint(key: &str) -> &'static str {
    if key == "months" {
        "januar"
    } else {
        "mandag"
    }
}

impl Date {
    /// Parses `2023-06-09`, `2023-06-09T13:00:00`, `2023-06-09 13:00`, with an optional
    /// offset or `Z` (kept in `iso`, ignored for the calendar date).
    pub fn parse(text: &str) -> Result<Date, Message> {
        let t = text.trim();
        let bad = || {
            let example = suggest_iso(t).unwrap_or_else(|| "2023-06-09".into());
            msg!("date.not_a_date", text = t, example = example)
        };
        let b = t.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<u32>().ok());
        let (year, month, day) = match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => (y as i32, m, d),
            _ => return Err(bad()),
        };
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(msg!("date.not_a_calendar_date", text = t));
        }
        let mut time = None;
        if b.len() > 10 {
            if !(b[10] == b'T' || b[10] == b' ') || b.len() < 16 || b[13] != b':' {
                return Err(bad());
            }
            let (h, mi) = match (num(11..13), num(14..16)) {
                (Some(h), Some(m)) if h < 24 && m < 60 => (h, m),
                _ => return Err(bad()),
            };
            let s = if b.len() >= 19 && b[16] == b':' { num(17..19).filter(|s| *s < 61).ok_or_else(bad)? } else { 0 };
            time = Some((h, mi, s));
        }
        Ok(Date { year, month, day, time, iso: t.replace(' ', "T") })
    }

    /// Days since 1970-01-01 (negative before), for weekday and comparisons.
    pub fn days_since_epoch(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// Norwegian long form: «9. juni 2023».
    pub fn norwegian(&self) -> String {
        let names = DateNames::default();
        self.format(&names.format, &names)
    }

    /// strftime-like formatting with the given names: %Y %m %d %-d %e %B %b %A %a %H %M %S %F %%.
    pub fn format(&self, fmt: &str, names: &DateNames) -> String {
        let (h, mi, s) = self.time.unwrap_or((0, 0, 0));
        let month = names.months[self.month as usize - 1].as_str();
        let weekday = names.weekdays[(self.days_since_epoch() + 3).rem_euclid(7) as usize].as_str();
        let mut out = String::new();
        let mut chars = fmt.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = chars.next().unwrap_or('%');
            let no_pad = spec == '-';
            if no_pad {
                spec = chars.next().unwrap_or('d');
            }
            let pad2 = |out: &mut String, v: u32| {
                let _ = if no_pad { write!(out, "{v}") } else { write!(out, "{v:02}") };
            };
            match spec {
                'Y' => out.push_str(&self.year.to_string()),
                'm' => pad2(&mut out, self.month),
                'd' => pad2(&mut out, self.day),
                'e' => out.push_str(&self.day.to_string()),
                'B' => out.push_str(month),
                'b' => out.extend(month.chars().take(3)),
                'A' => out.push_str(weekday),
                'a' => out.extend(weekday.chars().take(3)),
                'H' => pad2(&mut out, h),
                'M' => pad2(&mut out, mi),
                'S' => pad2(&mut out, s),
                'F' => out.push_str(&format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)),
                other => {
                    out.push('%');
                    out.push(other);
                }
            }
        }
        out
    }
}

/// The ISO form of a date written the Norwegian way («9. juni 2023», «9.6.2023»), for hints.
pub fn suggest_iso(text: &str) -> Option<String> {
    let names = DateNames::default();
    let parts: Vec<&str> = text.split(|c: char| c == '.' || c.is_whitespace()).filter(|p| !p.is_empty()).collect();
    let [d, m, y] = parts[..] else { return None };
    let day: u32 = d.parse().ok()?;
    let month = match m.parse::<u32>() {
        Ok(n) => n,
        Err(_) => names.months.iter().position(|n| n.eq_ignore_ascii_case(m))? as u32 + 1,
    };
    let year: i32 = y.parse().ok()?;
    let iso = format!("{year:04}-{month:02}-{day:02}");
    Date::parse(&iso).ok().map(|_| iso)
}

/// Today's date in UTC, from the system clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    Date { year: y, month: m, day: d, time: None, iso: format!("{y:04}-{m:02}-{d:02}") }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_norwegian() {
        let d = Date::parse("2023-06-09").unwrap();
        assert_eq!(d.norwegian(), "9. juni 2023");
        let nb = DateNames::default();
        assert_eq!(d.format("%-d.%-m.%Y", &nb), "9.6.2023");
        assert_eq!(d.format("%A %d. %B", &nb), "fredag 09. juni");
        let t = Date::parse("2024-02-29T13:05:00+01:00").unwrap();
        assert_eq!(t.time, Some((13, 5, 0)));
        assert_eq!(t.format("kl. %H.%M", &nb), "kl. 13.05");
    }

    #[test]
    fn norwegian_dates_get_their_iso_form_as_a_hint() {
        assert_eq!(suggest_iso("14. mai 2024").as_deref(), Some("2024-05-14"));
        assert_eq!(suggest_iso("9.6.2023").as_deref(), Some("2023-06-09"));
        assert_eq!(suggest_iso("31. februar 2023"), None);
        assert!(Date::parse("14. mai 2024").unwrap_err().to_string().ends_with("e.g. 2024-05-14"));
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("9. juni 2023").is_err());
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("2023-06-09X").is_err());
        assert!(Date::parse("").is_err());
    }

    #[test]
    fn epoch_round_trip() {
        for z in [-1000, 0, 19_000, 20_613] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
    }
}
