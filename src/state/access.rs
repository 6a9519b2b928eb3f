//! What the sign-in allows, applied to a view: without the `messages` scope there
//! is no message explorer, so a `panels=messages` URL gets the usual notice.

use crate::domain::panels::PanelName;
use crate::domain::token::Scopes;

use super::view::ViewState;

/// Drops what `scopes` do not allow from `view`; returns a notice per drop.
pub fn restrict_to_scopes(view: &mut ViewState, scopes: &Scopes) -> Vec<String> {
    let mut notices = Vec::new();
    if scopes.messages {
        return notices;
    }
    // The explorer and the two insight panels are all read from messages.
    let from_messages = [PanelName::Messages, PanelName::Sentiment, PanelName::IntentQuality];
    if let Some(panels) = &mut view.panels {
        let dropped: Vec<PanelName> = from_messages.into_iter().filter(|n| panels.contains(n)).collect();
        for name in dropped {
            panels.retain(|p| *p != name);
            notices.push(format!("Ignored panel \"{}\": your sign-in does not include messages", name.as_str()));
        }
        if panels.is_empty() {
            view.panels = None;
            notices.push("Ignored panels: no panel you may see named, showing all".to_string());
        }
    }
    notices
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(q: &str) -> ViewState {
        let pairs: Vec<(String, String)> =
            q.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect();
        ViewState::from_query(&pairs).0
    }

    const COUNTS_ONLY: Scopes = Scopes { counts: true, messages: false, views: false };

    #[test]
    fn messages_leave_the_panel_list_without_the_scope() {
        let mut v = view("panels=intents,messages");
        let notices = restrict_to_scopes(&mut v, &COUNTS_ONLY);
        assert_eq!(v.panels, Some(vec![PanelName::Intents]));
        assert_eq!(notices.len(), 1);
        assert!(notices[0].contains("messages"));
        assert!(!v.shows(PanelName::Messages));
    }

    #[test]
    fn a_list_of_messages_alone_shows_the_count_panels() {
        let mut v = view("panels=messages");
        assert_eq!(restrict_to_scopes(&mut v, &COUNTS_ONLY).len(), 2);
        assert_eq!(v.panels, None);
    }

    #[test]
    fn with_the_scope_nothing_changes() {
        let mut v = view("panels=intents,messages");
        let before = v.clone();
        assert!(restrict_to_scopes(&mut v, &Scopes::WITHOUT_AUTH).is_empty());
        assert_eq!(v, before);
        let mut all = view("from=now-1d&to=now");
        assert!(restrict_to_scopes(&mut all, &COUNTS_ONLY).is_empty());
    }
}
