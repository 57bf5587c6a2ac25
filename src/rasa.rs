//! Facts about Rasa that several rules share, and the Rasa version they depend on.

/// How training data is written: Markdown (Rasa 1.x, and 2.x deprecated) or YAML (Rasa
/// 2.x, 3.x; domains and configurations in every version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Surface {
    Markdown,
    Yaml,
}

/// The Rasa release line a bot is read as: Markdown as Rasa 1.10 reads it, a 2.x bot as
/// Rasa 2.8, a 3.x bot as Rasa 3.6 (the last release of each line). Facts that differ by
/// version are looked up by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum RasaVersion {
    #[serde(rename = "1.10")]
    V1,
    #[serde(rename = "2.8")]
    V2,
    #[serde(rename = "3.6")]
    V3,
}

impl RasaVersion {
    /// The release whose reading rasalint follows for this line.
    pub fn release(self) -> &'static str {
        match self {
            RasaVersion::V1 => "1.10",
            RasaVersion::V2 => "2.8",
            RasaVersion::V3 => "3.6",
        }
    }

    /// A version as users write it: its major number, alone or followed by `.` and more
    /// (`3`, `3.1`, `3.x`, `2.8.34`, `1.10`); surrounding quotes and a leading `v` are
    /// allowed, as in a `version:` key.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_matches(['"', '\'']);
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let major = text.split('.').next()?;
        match major {
            "1" => Some(RasaVersion::V1),
            "2" => Some(RasaVersion::V2),
            "3" => Some(RasaVersion::V3),
            _ => None,
        }
    }

    /// Whether this version reads Markdown training data (1.x; 2.x, deprecated).
    pub fn reads_markdown_data(self) -> bool {
        self != RasaVersion::V3
    }

    /// Whether this version reads YAML training data (2.x and 3.x).
    pub fn reads_yaml_data(self) -> bool {
        self != RasaVersion::V1
    }

    /// The newest training-data format version this release reads (`version:` keys):
    /// "2.0" for Rasa 2.8, "3.1" for 3.6; none for 1.x, which has no such key.
    pub fn latest_format(self) -> Option<&'static str> {
        match self {
            RasaVersion::V1 => None,
            RasaVersion::V2 => Some("2.0"),
            RasaVersion::V3 => Some("3.1"),
        }
    }

    /// Whether this release skips a file whose `version:` key is `written` (spec §2.7): a
    /// version above [`Self::latest_format`] makes Rasa warn and read the file as empty.
    /// Compared as PEP 440 versions (`"3.1.0"` is `3.1`); a value that is no version is
    /// read as the latest.
    pub fn skips_format(self, written: &str) -> bool {
        self.format_version(written) == FormatVersion::Greater
    }

    /// The actions every domain of this version has without declaring them.
    pub fn default_actions(self) -> impl Iterator<Item = &'static str> + Clone {
        DEFAULT_ACTIONS
            .iter()
            .filter(move |(_, first, last)| (*first..=*last).contains(&self))
            .map(|(name, ..)| *name)
    }

    /// Whether `action` is one of this version's default actions.
    pub fn is_default_action(self, action: &str) -> bool {
        self.default_actions().any(|a| a == action)
    }
}

/// Intents Rasa answers by itself when a user types them (`/restart`), which need neither
/// NLU examples nor stories.
pub const COMMAND_INTENTS: &[&str] = &["restart", "back", "session_start"];

impl RasaVersion {
    /// The intents Rasa knows without a declaration: Rasa 1.10's message processor
    /// accepts `restart`, `back`, `out_of_scope` and `session_start`; Rasa 2 and 3 add
    /// those and `nlu_fallback` (the intent their `FallbackClassifier` predicts instead of
    /// a low-confidence one) to every domain (spec rasa-yaml §6.3).
    pub fn default_intents(self) -> &'static [&'static str] {
        match self {
            RasaVersion::V1 => &["restart", "back", "out_of_scope", "session_start"],
            _ => &[
                "restart",
                "back",
                "out_of_scope",
                "session_start",
                "nlu_fallback",
            ],
        }
    }
}

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

/// Every default action (the actions a domain has without declaring them) and the first
/// and last version that has it (spec rasa-yaml §6.7): Rasa 2 renamed the form actions to
/// loops and added two-stage fallback, `action_unlikely_intent` and the rule snippet
/// `...`; Rasa 3 added `action_extract_slots`.
const DEFAULT_ACTIONS: &[(&str, RasaVersion, RasaVersion)] = {
    use RasaVersion::{V1, V2, V3};
    &[
        ("action_listen", V1, V3),
        ("action_restart", V1, V3),
        ("action_session_start", V1, V3),
        ("action_default_fallback", V1, V3),
        ("action_deactivate_form", V1, V1),
        ("action_deactivate_loop", V2, V3),
        ("action_revert_fallback_events", V1, V3),
        ("action_default_ask_affirmation", V1, V3),
        ("action_default_ask_rephrase", V1, V3),
        ("action_two_stage_fallback", V2, V3),
        ("action_unlikely_intent", V2, V3),
        ("action_back", V1, V3),
        ("...", V2, V3),
        ("action_extract_slots", V3, V3),
    ]
};

/// The event types of Rasa's event registry that a story can name where an action goes
/// (Markdown `- name`, YAML `action: name`), and the first and last version that has each;
/// `slot`, `form` and `action`, which every version reads its own way, are not listed.
/// Rasa 2 added the loop events, the featurisation and entity events.
const EVENT_TYPES: &[(&str, RasaVersion, RasaVersion)] = {
    use RasaVersion::{V1, V2, V3};
    &[
        ("user", V1, V3),
        ("bot", V1, V3),
        ("restart", V1, V3),
        ("rewind", V1, V3),
        ("reset_slots", V1, V3),
        ("reminder", V1, V3),
        ("cancel_reminder", V1, V3),
        ("undo", V1, V3),
        ("export", V1, V3),
        ("followup", V1, V3),
        ("pause", V1, V3),
        ("resume", V1, V3),
        ("agent", V1, V3),
        ("form_validation", V1, V3),
        ("action_execution_rejected", V1, V3),
        ("session_started", V1, V3),
        ("user_featurization", V2, V3),
        ("entities", V2, V3),
        ("active_loop", V2, V3),
        ("loop_interrupted", V2, V3),
    ]
};

impl RasaVersion {
    /// Whether `name` is an event type of this version's registry besides `slot`, `form`
    /// and `action` (see [`EVENT_TYPES`]).
    pub fn is_event_type(self, name: &str) -> bool {
        EVENT_TYPES
            .iter()
            .any(|(event, first, last)| *event == name && (*first..=*last).contains(&self))
    }
}

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

/// What Rasa does with a training-data or domain file given its `version` key (spec
/// rasa-yaml §2.7, `validate_training_data_format_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatVersion {
    /// Missing or empty: read as the latest format (an info log).
    Missing,
    /// Equal to the latest: read.
    Latest,
    /// Lower than the latest: read (Rasa 3.6 warns).
    Lower,
    /// Greater than the latest: the file is skipped, read as empty.
    Greater,
    /// Not a PEP 440 version: read, with a warning.
    NotAVersion,
}

impl RasaVersion {
    /// How this release judges a file's `version` string. Rasa 3.6 first strips
    /// surrounding quote characters (`"'3.1'"`); Rasa 2.8 does not.
    pub fn format_version(self, written: &str) -> FormatVersion {
        let value = if self == RasaVersion::V3 {
            written.trim_matches(['"', '\''])
        } else {
            written
        };
        if value.is_empty() {
            return FormatVersion::Missing;
        }
        // Rasa 1.x has no format versions: it reads every file.
        let Some(latest) = self.latest_format() else {
            return FormatVersion::Latest;
        };
        // The usual case, asked by every rule of every file, without the PEP 440 parse.
        if value == latest {
            return FormatVersion::Latest;
        }
        let (Some(found), Some(latest)) = (pep440(value), pep440(latest)) else {
            return FormatVersion::NotAVersion;
        };
        match found.cmp(&latest) {
            std::cmp::Ordering::Less => FormatVersion::Lower,
            std::cmp::Ordering::Equal => FormatVersion::Latest,
            std::cmp::Ordering::Greater => FormatVersion::Greater,
        }
    }
}

/// A PEP 440 version as a key that sorts like `packaging.version.Version`: epoch,
/// release (trailing zeros dropped), then pre-release, post-release and development
/// parts; the local part is ignored. `None` when the text is no PEP 440 version.
fn pep440(text: &str) -> Option<Pep440Key> {
    let pattern = PEP440.get_or_init(|| {
        regex::Regex::new(
            r"(?ix)^\s*v?
            (?:(\d+)!)?
            (\d+(?:\.\d+)*)
            (?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?
            (?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d*))?
            (?:[-_.]?(dev)[-_.]?(\d*))?
            (?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?
            \s*$",
        )
        .expect("the PEP 440 pattern is valid")
    });
    let found = pattern.captures(text)?;
    let number = |i: usize| found.get(i).map(|m| m.as_str().parse::<u64>().unwrap_or(0));
    let epoch = number(1).unwrap_or(0);
    let mut release: Vec<u64> = found[2]
        .split('.')
        .map(|n| n.parse().unwrap_or(u64::MAX))
        .collect();
    while release.len() > 1 && release.last() == Some(&0) {
        release.pop();
    }
    let pre = found.get(3).map(|kind| {
        let rank: u8 = match kind.as_str().to_ascii_lowercase().as_str() {
            "a" | "alpha" => 0,
            "b" | "beta" => 1,
            _ => 2,
        };
        (rank, number(4).unwrap_or(0))
    });
    let post = number(5).or_else(|| found.get(6).map(|_| number(7).unwrap_or(0)));
    let dev = found.get(8).map(|_| number(9).unwrap_or(0));
    // `packaging`'s ordering: a development release without pre or post sorts before
    // every pre-release; no pre-release sorts after them; no post before any post.
    let pre_key = match (pre, post, dev) {
        (Some((rank, n)), ..) => (1, u64::from(rank) * (1 << 40) + n),
        (None, None, Some(_)) => (0, 0),
        (None, ..) => (2, 0),
    };
    let post_key = post.map_or((0, 0), |n| (1, n));
    let dev_key = dev.map_or((1, 0), |n| (0, n));
    Some((epoch, release, pre_key, post_key, dev_key))
}

/// Epoch, release, and the pre-, post- and development-release parts as sort keys.
type Pep440Key = (u64, Vec<u64>, (u8, u64), (u8, u64), (u8, u64));

static PEP440: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_a_newer_format_are_skipped() {
        let v3 = RasaVersion::V3;
        assert!(v3.skips_format("3.2") && v3.skips_format("4") && v3.skips_format("3.1.1"));
        for read in ["3.1", "3.1.0", "'3.1'", "3.0", "2.0", "v3", "3.x", ""] {
            assert!(!v3.skips_format(read), "{read}");
        }
        assert!(RasaVersion::V2.skips_format("3.1"));
        assert!(!RasaVersion::V2.skips_format("2.0"));
        assert!(!RasaVersion::V1.skips_format("9"));
    }

    #[test]
    fn versions_are_read_by_their_major_number() {
        for (text, version) in [
            ("1", RasaVersion::V1),
            ("1.10.26", RasaVersion::V1),
            ("\"2.0\"", RasaVersion::V2),
            ("2.8", RasaVersion::V2),
            ("'3.1'", RasaVersion::V3),
            ("v3", RasaVersion::V3),
            ("3.x", RasaVersion::V3),
        ] {
            assert_eq!(RasaVersion::parse(text), Some(version), "{text}");
        }
        for text in ["", "4", "10.1", "abc", "."] {
            assert_eq!(RasaVersion::parse(text), None, "{text}");
        }
    }

    #[test]
    fn default_actions_differ_by_version() {
        let has = |v: RasaVersion, a: &str| v.is_default_action(a);
        assert_eq!(RasaVersion::V1.default_actions().count(), 9);
        assert_eq!(RasaVersion::V2.default_actions().count(), 12);
        assert_eq!(RasaVersion::V3.default_actions().count(), 13);
        assert!(has(RasaVersion::V1, "action_deactivate_form"));
        assert!(!has(RasaVersion::V2, "action_deactivate_form"));
        assert!(has(RasaVersion::V2, "action_deactivate_loop"));
        assert!(!has(RasaVersion::V2, "action_extract_slots"));
        assert!(has(RasaVersion::V3, "action_extract_slots"));
    }

    /// The cases of spec rasa-yaml §2.7.
    #[test]
    fn format_versions_are_judged_as_rasa_judges_them() {
        use FormatVersion::*;
        let cases = [
            ("", Missing, Missing),
            ("2.0", Latest, Lower),
            ("3.1", Greater, Latest),
            ("3.1.0", Greater, Latest),
            ("1.0", Lower, Lower),
            ("3.0", Greater, Lower),
            ("3.6", Greater, Greater),
            ("4", Greater, Greater),
            ("abc", NotAVersion, NotAVersion),
            ("3.x", NotAVersion, NotAVersion),
            ("v3", Greater, Lower),
            ("'3.1'", NotAVersion, Latest),
            ("3.1rc1", Greater, Lower),
            ("3.1.post1", Greater, Greater),
            ("3.1.dev0", Greater, Lower),
            ("2.0+local", Latest, Lower),
        ];
        for (text, v2, v3) in cases {
            assert_eq!(RasaVersion::V2.format_version(text), v2, "2.8 {text:?}");
            assert_eq!(RasaVersion::V3.format_version(text), v3, "3.6 {text:?}");
        }
    }
}
