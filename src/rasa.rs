//! Facts about Rasa 1.10 that several rules share.

/// Intents Rasa answers by itself when a user types them (`/restart`), which need neither
/// NLU examples nor stories.
pub const COMMAND_INTENTS: &[&str] = &["restart", "back", "session_start"];

/// Responses Rasa's default actions utter by themselves (`action_default_fallback` utters
/// `utter_default`, …).
pub const RESPONSES_OF_DEFAULT_ACTIONS: &[&str] = &[
    "utter_default",
    "utter_ask_rephrase",
    "utter_restart",
    "utter_back",
];

/// The names of the NLU Markdown sections.
pub const NLU_SECTIONS: &[&str] = &["intent", "synonym", "regex", "lookup"];
