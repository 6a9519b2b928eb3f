//! Who is calling: what a verified embed token says, handed by the auth layer to
//! every handler as a request extension. The tenant comes from here alone, never
//! from the URL, the body or a header.

/// A scope of the embed token (`scope` claim, space-separated; default `counts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The four count endpoints.
    Counts,
    /// The Messages endpoint (chat text).
    Messages,
    /// The relay's saved-views API.
    Views,
}

/// The verified caller of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// `tid`: the tenant on this relay.
    pub tenant: String,
    /// `sub`: the portal's user id (1..256 chars).
    pub sub: String,
    /// `name`: display name, shown as a view's owner.
    pub name: Option<String>,
    /// `teams`: up to 50 team ids.
    pub teams: Vec<String>,
    /// Granted scopes.
    pub scopes: Vec<Scope>,
}

impl Principal {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    pub fn in_team(&self, team: &str) -> bool {
        self.teams.iter().any(|t| t == team)
    }
}
