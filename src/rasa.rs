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

/// The actions every Rasa 1.10 domain has without declaring them.
pub const DEFAULT_ACTIONS: &[&str] = &[
    "action_listen",
    "action_restart",
    "action_session_start",
    "action_default_fallback",
    "action_deactivate_form",
    "action_revert_fallback_events",
    "action_default_ask_affirmation",
    "action_default_ask_rephrase",
    "action_back",
];

/// Slots Rasa 1.10 adds to a domain that lists `action_query_knowledge_base`.
pub const KNOWLEDGE_BASE_SLOTS: &[&str] = &[
    "knowledge_base_listed_objects",
    "knowledge_base_last_object",
    "knowledge_base_last_object_type",
];

/// Entity types Rasa's pretrained extractors produce without training data:
/// DucklingHTTPExtractor's dimensions and SpacyEntityExtractor's labels.
pub const PRETRAINED_ENTITIES: &[&str] = &[
    // Duckling
    "time",
    "number",
    "amount-of-money",
    "distance",
    "duration",
    "email",
    "ordinal",
    "phone-number",
    "quantity",
    "temperature",
    "url",
    "volume",
    "credit-card-number",
    // spaCy
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "NORP",
    "FAC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
];
