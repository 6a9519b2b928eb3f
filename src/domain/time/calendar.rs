//! The month grid of the range popover's calendar: whole weeks from the week
//! start, days of the neighbouring months included so every row has seven.
//!
//! ```
//! use engagement_dashboard::domain::time::calendar::month_grid;
//! use jiff::civil::{date, Weekday};
//! let weeks = month_grid(date(2026, 3, 1), Weekday::Monday);
//! assert_eq!(weeks[0][0], date(2026, 2, 23)); // March 2026 begins on a Sunday
//! assert_eq!(weeks.last().unwrap()[6], date(2026, 4, 5));
//! ```

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

/// The weeks (rows of seven days) that cover the month of `day`, each row
/// starting on `week_start`.
pub fn month_grid(day: Date, week_start: Weekday) -> Vec<[Date; 7]> {
    let first = day.first_of_month();
    let back = first.weekday().since(week_start) as i64;
    let mut start = first.checked_sub(back.days()).unwrap_or(first);
    let last = day.last_of_month();
    let mut weeks = Vec::with_capacity(6);
    while start <= last {
        let mut week = [start; 7];
        for (i, d) in week.iter_mut().enumerate() {
            *d = start.checked_add((i as i64).days()).unwrap_or(start);
        }
        weeks.push(week);
        match start.checked_add(7.days()) {
            Ok(next) => start = next,
            Err(_) => break,
        }
    }
    weeks
}

/// The same day `months` later, clamped to the month's end (31 Jan + 1 = 28 Feb).
pub fn add_months(day: Date, months: i64) -> Date {
    day.checked_add(months.months()).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn every_month_is_whole_weeks_from_the_week_start() {
        for ws in [Weekday::Monday, Weekday::Sunday, Weekday::Saturday] {
            let mut month = date(2025, 1, 1);
            for _ in 0..30 {
                let weeks = month_grid(month, ws);
                assert!((4..=6).contains(&weeks.len()));
                assert!(weeks.iter().all(|w| w[0].weekday() == ws));
                let days: Vec<Date> = weeks.iter().flatten().copied().collect();
                assert!(days.windows(2).all(|p| p[0].tomorrow().unwrap() == p[1]), "consecutive days");
                assert!(days.contains(&month.first_of_month()) && days.contains(&month.last_of_month()));
                assert!(days[0] > month.first_of_month().checked_sub(7.days()).unwrap());
                month = add_months(month, 1);
            }
        }
        // February 2026 begins on a Sunday: four weeks exactly when weeks start on Sunday.
        assert_eq!(month_grid(date(2026, 2, 14), Weekday::Sunday).len(), 4);
        assert_eq!(add_months(date(2026, 1, 31), 1), date(2026, 2, 28));
    }
}
