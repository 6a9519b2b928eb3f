//! What a panel's load has come to: the `data-state` of ui-hooks and what the
//! status view shows (progress, why it failed, which spans are missing). One
//! definition for the count panels, the key figures and the explorer.

use crate::domain::time::TimeSpan;
use crate::engine::fetch::Progress;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PanelStatus {
    #[default]
    Loading,
    Ready,
    /// Loaded, nothing in range.
    Empty,
    /// Some spans failed after retries; the rest is shown.
    Partial,
    /// Nothing loaded.
    Error,
}

impl PanelStatus {
    /// The `data-state` value of ui-hooks.
    pub fn as_str(&self) -> &'static str {
        match self {
            PanelStatus::Loading => "loading",
            PanelStatus::Ready => "ready",
            PanelStatus::Empty => "empty",
            PanelStatus::Partial => "partial",
            PanelStatus::Error => "error",
        }
    }

    /// A panel drawn from a shared load (the insight panels over the messages
    /// feed): a load that is ready is empty for this panel when what it draws from
    /// it counts nothing. Every other status is the load's.
    pub fn for_panel(self, panel_counts_nothing: bool) -> PanelStatus {
        if self == PanelStatus::Ready && panel_counts_nothing {
            PanelStatus::Empty
        } else {
            self
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct LoadState {
    pub status: PanelStatus,
    /// Calls finished / planned.
    pub progress: Progress,
    /// Spans that failed after retries, with why.
    pub failures: Vec<(TimeSpan, String)>,
    /// Why nothing loaded (status `Error`).
    pub error: Option<String>,
}

/// What a finished load holds, for [`LoadState::settled`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holding {
    /// Some value was loaded (a bucket, a message).
    pub anything: bool,
    /// Every part of the range is known.
    pub complete: bool,
    /// What is known counts nothing (all zeros, no messages).
    pub nothing_counted: bool,
}

impl LoadState {
    pub fn loading() -> Self {
        LoadState::default()
    }

    /// Nothing could be loaded (or even asked for), because of `why`.
    pub fn failed(why: impl Into<String>) -> Self {
        LoadState { status: PanelStatus::Error, error: Some(why.into()), ..LoadState::default() }
    }

    /// A finished load: `error` when spans failed and nothing loaded, `partial` when
    /// spans failed or are unknown, `empty` when all of it counts nothing.
    pub fn settled(progress: Progress, failures: Vec<(TimeSpan, String)>, holding: Holding) -> Self {
        let status = if !failures.is_empty() && !holding.anything {
            PanelStatus::Error
        } else if !failures.is_empty() || !holding.complete {
            PanelStatus::Partial
        } else if holding.nothing_counted {
            PanelStatus::Empty
        } else {
            PanelStatus::Ready
        };
        let error =
            (status == PanelStatus::Error).then(|| failures.first().map(|(_, e)| e.clone()).unwrap_or_default());
        LoadState { status, progress, failures, error }
    }

    pub fn is(&self, status: PanelStatus) -> bool {
        self.status == status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panel_over_a_shared_load_is_empty_only_when_ready() {
        assert_eq!(PanelStatus::Ready.for_panel(true), PanelStatus::Empty);
        assert_eq!(PanelStatus::Ready.for_panel(false), PanelStatus::Ready);
        for s in [PanelStatus::Loading, PanelStatus::Partial, PanelStatus::Error, PanelStatus::Empty] {
            assert_eq!(s.for_panel(true), s, "{s:?}: the load's own state says more");
        }
    }

    fn settled(failed: bool, anything: bool, complete: bool, nothing_counted: bool) -> LoadState {
        let failures = if failed { vec![(TimeSpan::new(0, 1), "HTTP 503".to_string())] } else { vec![] };
        LoadState::settled(Progress::default(), failures, Holding { anything, complete, nothing_counted })
    }

    #[test]
    fn the_status_of_a_finished_load() {
        assert_eq!(settled(true, false, false, true).status, PanelStatus::Error);
        assert_eq!(settled(true, false, false, true).error.as_deref(), Some("HTTP 503"));
        assert_eq!(settled(true, true, false, false).status, PanelStatus::Partial);
        assert_eq!(settled(false, true, false, false).status, PanelStatus::Partial, "buckets still unknown");
        assert_eq!(settled(false, true, true, true).status, PanelStatus::Empty, "all zeros");
        assert_eq!(settled(false, false, true, true).status, PanelStatus::Empty, "no messages");
        assert_eq!(settled(false, true, true, false).status, PanelStatus::Ready);
        assert_eq!(settled(true, true, true, false).error, None);
        assert_eq!(LoadState::failed("unknown time zone X").status.as_str(), "error");
        assert_eq!(LoadState::loading().status.as_str(), "loading");
    }
}
