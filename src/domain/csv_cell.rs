//! The one CSV formula neutraliser, for every CSV we write (a panel's table, the
//! explorer's messages). A spreadsheet runs a cell that starts with `=`, `+`, `-`
//! or `@` (or a tab or carriage return before one) as a formula, and text from the
//! API (an intent named `=HYPERLINK(…)`, a message) may be hostile.
//!
//! The rule: such a cell gets a leading `'`, which spreadsheets show as text,
//! except a plain negative number (`-0.5`, `-3`): nothing in it can run, and
//! prefixing it would turn a sentiment of -0.5 into text that sums and sorts
//! wrongly. Anything more than `-digits[.digits]` (`-1+1`, `-0.5e3`, `-.5`,
//! `-2+cmd|…`) is neutralised.

use std::borrow::Cow;

/// `cell`, with a leading `'` if a spreadsheet would run it as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    if risky && !is_negative_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `-digits` or `-digits.digits`.
fn is_negative_number(s: &str) -> bool {
    let Some(t) = s.strip_prefix('-') else {
        return false;
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    match t.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote_plain_numbers_stay_numbers() {
        for (cell, out) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("@cmd", "'@cmd"),
            ("+1", "'+1"),
            ("-Tue", "'-Tue"),
            ("-", "'-"),
            ("-1+1", "'-1+1"),
            ("-0.5e3", "'-0.5e3"),
            ("-.5", "'-.5"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-0.5", "-0.5"),
            ("-3", "-3"),
            ("0.5", "0.5"),
            ("billing", "billing"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise(cell), out, "{cell:?}");
        }
    }
}
