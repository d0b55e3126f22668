//! Provider profiles: who the merchant's provider is and where its support
//! is found. A profile only holds what the provider states; the neutral
//! profile holds nothing, and the page then says where to look.

use crate::kb::{Lang, Text};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub id: String,
    pub name: Option<Text>,
    /// The provider's official app, by name.
    pub app: Option<Text>,
    /// Only ever from the provider itself; never made up.
    pub hotline: Option<String>,
    /// The activation wait the provider promises, in its own words.
    pub activation_wait: Option<Text>,
    /// Brand colour, `#rrggbb`.
    pub color: Option<String>,
}

impl Profile {
    pub fn neutral() -> Profile {
        Profile { id: "neutral".into(), ..Profile::default() }
    }

    pub fn name(&self, lang: Lang) -> Option<&str> {
        self.name.as_ref().map(|t| t.get(lang))
    }
}
