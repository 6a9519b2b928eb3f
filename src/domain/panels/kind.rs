//! The panels and the API each reads (ui-hooks "Panels").

use crate::domain::wire::{keys, Endpoint};

/// The panels, by the names ui-hooks fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PanelName {
    Interactions,
    Intents,
    BotAccess,
    BotVsAgent,
    CustomerEndpoint,
    Messages,
    Sentiment,
    IntentQuality,
}

impl PanelName {
    pub const ALL: [PanelName; 8] = [
        PanelName::Interactions,
        PanelName::Intents,
        PanelName::BotAccess,
        PanelName::BotVsAgent,
        PanelName::CustomerEndpoint,
        PanelName::Messages,
        PanelName::Sentiment,
        PanelName::IntentQuality,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            PanelName::Interactions => "interactions",
            PanelName::Intents => "intents",
            PanelName::BotAccess => "bot-access",
            PanelName::BotVsAgent => "bot-vs-agent",
            PanelName::CustomerEndpoint => "customer-endpoint",
            PanelName::Messages => "messages",
            PanelName::Sentiment => "sentiment",
            PanelName::IntentQuality => "intent-quality",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        PanelName::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The counts panel behind this name (`None` for the message explorer and the
    /// insight panels, which read messages).
    pub fn kind(&self) -> Option<PanelKind> {
        match self {
            PanelName::Interactions => Some(PanelKind::Interactions),
            PanelName::Intents => Some(PanelKind::Intents),
            PanelName::BotAccess => Some(PanelKind::BotAccess),
            PanelName::BotVsAgent => Some(PanelKind::BotVsAgent),
            PanelName::CustomerEndpoint => Some(PanelKind::CustomerEndpoint),
            PanelName::Messages | PanelName::Sentiment | PanelName::IntentQuality => None,
        }
    }
}

/// A chart panel over one counts endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PanelKind {
    Interactions,
    Intents,
    BotAccess,
    BotVsAgent,
    CustomerEndpoint,
}

impl PanelKind {
    pub const ALL: [PanelKind; 5] = [
        PanelKind::Interactions,
        PanelKind::Intents,
        PanelKind::BotAccess,
        PanelKind::BotVsAgent,
        PanelKind::CustomerEndpoint,
    ];

    pub fn name(&self) -> PanelName {
        match self {
            PanelKind::Interactions => PanelName::Interactions,
            PanelKind::Intents => PanelName::Intents,
            PanelKind::BotAccess => PanelName::BotAccess,
            PanelKind::BotVsAgent => PanelName::BotVsAgent,
            PanelKind::CustomerEndpoint => PanelName::CustomerEndpoint,
        }
    }

    pub fn endpoint(&self) -> Endpoint {
        match self {
            PanelKind::Interactions => Endpoint::Interactions,
            PanelKind::Intents => Endpoint::Intents,
            PanelKind::BotAccess | PanelKind::BotVsAgent => Endpoint::InteractionType,
            PanelKind::CustomerEndpoint => Endpoint::CustomerEndpoint,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            PanelKind::Interactions => "Interactions",
            PanelKind::Intents => "Intents",
            PanelKind::BotAccess => "Bot access",
            PanelKind::BotVsAgent => "Bot vs agent",
            PanelKind::CustomerEndpoint => "Customer endpoints",
        }
    }

    /// The API keys this panel always shows, present in the answer or not.
    pub fn fixed_keys(&self) -> &'static [&'static str] {
        match self {
            PanelKind::Interactions => &[keys::TOTAL],
            PanelKind::BotAccess => &[keys::BOT_ONLY, keys::BOT_TO_AGENT],
            PanelKind::BotVsAgent => &[keys::BOT_ONLY, keys::BOT_TO_AGENT, keys::AGENT_ONLY],
            PanelKind::Intents | PanelKind::CustomerEndpoint => &[],
        }
    }

    /// Keys shown only when the API sends them, right after the fixed ones.
    pub fn optional_keys(&self) -> &'static [&'static str] {
        match self {
            PanelKind::Interactions => &[keys::COMPLETED, keys::ABANDONED],
            _ => &[],
        }
    }

    /// Whether keys the panel does not name become extra columns: open sets
    /// (intents, endpoints) and extra Interactions series do; InteractionType's
    /// closed set does not.
    pub fn open_keys(&self) -> bool {
        matches!(self, PanelKind::Interactions | PanelKind::Intents | PanelKind::CustomerEndpoint)
    }

    /// Derived integer columns: (key, label, parts summed).
    pub fn derived(&self) -> &'static [(&'static str, &'static str, &'static [&'static str])] {
        match self {
            PanelKind::BotAccess => &[("botEngaged", "Bot-engaged", &[keys::BOT_ONLY, keys::BOT_TO_AGENT])],
            PanelKind::BotVsAgent => &[
                ("botHandled", "Bot-handled", &[keys::BOT_ONLY]),
                ("agentHandled", "Agent-handled", &[keys::BOT_TO_AGENT, keys::AGENT_ONLY]),
            ],
            _ => &[],
        }
    }
}
