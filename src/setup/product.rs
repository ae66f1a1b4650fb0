//! The GoTo products a setup covers.

use serde::{Deserialize, Serialize};

/// A GoTo product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// GoToMeeting.
    GoToMeeting,
    /// GoToWebinar.
    GoToWebinar,
    /// GoToTraining.
    GoToTraining,
    /// GoToAssist.
    GoToAssist,
}

impl Product {
    /// Every product, in the order the wizard lists them.
    pub const ALL: [Product; 4] = [
        Product::GoToMeeting,
        Product::GoToWebinar,
        Product::GoToTraining,
        Product::GoToAssist,
    ];

    /// The key used in profiles and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Product::GoToMeeting => "gotomeeting",
            Product::GoToWebinar => "gotowebinar",
            Product::GoToTraining => "gototraining",
            Product::GoToAssist => "gotoassist",
        }
    }

    /// The product's name.
    pub fn name(self) -> &'static str {
        match self {
            Product::GoToMeeting => "GoToMeeting",
            Product::GoToWebinar => "GoToWebinar",
            Product::GoToTraining => "GoToTraining",
            Product::GoToAssist => "GoToAssist",
        }
    }

    /// The product for a key, ignoring case.
    pub fn from_key(key: &str) -> Option<Product> {
        Product::ALL
            .into_iter()
            .find(|product| product.key().eq_ignore_ascii_case(key.trim()))
    }
}
