use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StorySyntax;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::story_graph::{
    ActionPlace, Analysis, CompetingAction, Conflict, MaxHistoryFrom, PlaceKind, analyse,
    slices_dialogues,
};

declare_rule! {
    /// ## What it does
    /// Reports a dialogue state from which different stories demand different next
    /// actions: Rasa 1.10's story-structure check (`rasa data validate stories`), with the
    /// story lines of every competing action.
    ///
    /// The stories are expanded as Rasa's training does: checkpoints join story parts
    /// (start checkpoints with conditions only take dialogues whose slots match), each
    /// alternative of an `OR` turn is its own dialogue, Rasa's implicit `action_listen`
    /// comes before every user turn and at every story end, and entities fill the domain
    /// slots of the same name. Each action is predicted from the last `max_history`
    /// states (intent, entities the intent uses, slot features, the previous action when
    /// the domain knows it, the active form), padded at the start of a dialogue. Two
    /// dialogues with the same states there and different next actions conflict. As in
    /// Rasa, a conflict at the very start of a dialogue (nothing happened yet) is not
    /// reported.
    ///
    /// `max_history` is the largest `max_history` of the MemoizationPolicy,
    /// AugmentedMemoizationPolicy, TEDPolicy or KerasPolicy in `config.yml`; without
    /// one, Rasa's default for this check: the length of the longest dialogue. The help
    /// says which `max_history` would tell the stories apart, when one does.
    ///
    /// Dialogues are expanded as Rasa expands them, including every combination of story
    /// parts a checkpoint joins. That can grow exponentially with the stories (each end
    /// checkpoint written after another doubles a story's steps; a checkpoint many
    /// stories end at and start from multiplies dialogues), so each stage has a budget:
    /// when one runs out, the check stops and reports where and what was not checked (as
    /// a finding of this rule). Where the check finishes, it agrees with Rasa.
    ///
    /// YAML bots (Rasa 2.x/3.x) are checked the same way, with the states of the bot's
    /// Rasa version, as `rasa data validate stories` 3.6 and 2.8 compute them: their
    /// stories are expanded as above (an `or:` step's items are alternatives, slots
    /// included), rules take no part (as in Rasa 2.0 and later), and a state holds the
    /// user's intent, end-to-end text and entity labels with their roles and groups
    /// (`city#from`, as the intent uses them), the previous action, whether the domain
    /// knows it or not, or the bot's `bot:` text, the features of every set slot that
    /// influences the conversation (Rasa 2.8's and 3.6's featurisation: a categorical
    /// value the domain does not list counts as `__other__`), and the active loop.
    /// Histories are not padded, as Rasa 2 and 3 do not pad them. Slots are filled from
    /// entities as the version does (Rasa 3: through `from_entity` mappings; Rasa 2: an
    /// entity of the slot's name).
    ///
    /// ## Why is this bad?
    /// The policies learn contradicting examples: from the same state, one story says one
    /// thing and another says something else, so the bot's choice is a guess (the
    /// MemoizationPolicy drops such states, TED learns whichever is more frequent).
    /// `rasa data validate` finds these slowly and reports them without lines, as
    /// warnings in 1.10, 2.8 and 3.6 (which fail only with `--fail-on-warnings`).
    ///
    /// ## Example
    /// ```md
    /// ## happy path
    /// * greet
    ///   - utter_greet
    ///
    /// ## other path
    /// * greet
    ///   - utter_hello      <- after `greet`, `utter_greet` or `utter_hello`?
    /// ```
    ///
    /// ## Options
    /// `max-history`: the `max_history` to slice dialogues with, instead of config.yml's
    /// (`max-history = 5` in the configuration, or `--max-history 5` on the command line,
    /// which wins). Useful to check the stories for a policy configuration not yet in
    /// config.yml, or to see the conflicts a shorter memory would have.
    pub struct StoryStructureConflict {
        code: "RL301",
        name: "story-structure-conflict",
        severity: Warning,
        runs_long: true,
        needs_domain: true,
        summary: "the same dialogue state is followed by different actions in different stories",
    }
}

/// Places shown per competing action.
const PLACES_SHOWN: usize = 3;

impl Rule for StoryStructureConflict {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.story_files().next().is_none() {
            return;
        }
        report_unusable_max_history(project, out);
        let given = project.options.max_history.as_ref();
        let analysis = analyse(project, given.map(|h| h.value), 0);
        let given_by = given.map_or("", |h| h.source.as_str());
        // Turns are shown as the bot writes them: Rasa 1 bots in Markdown, others in YAML.
        let syntax = match project.rasa.version {
            RasaVersion::V1 => StorySyntax::Markdown,
            _ => StorySyntax::Yaml,
        };
        for conflict in &analysis.conflicts {
            if let Some(diagnostic) = report(&analysis, conflict, given_by, syntax) {
                out.push(diagnostic);
            }
        }
        if let Some(cut) = &analysis.cut {
            out.push(
                Diagnostic::new(&Self::META, cut.file, cut.span.clone(), cut.message.clone())
                    .with_label(cut.label.clone())
                    .with_help(cut.help.clone()),
            );
        }
    }
}

/// A `max_history` in config.yml that Rasa cannot slice dialogues with is not used here:
/// say so, at the value.
fn report_unusable_max_history(project: &Project, out: &mut Vec<Diagnostic>) {
    for (file, config) in project.config_files().take(1) {
        for policy in config.policies.iter().filter(|p| slices_dialogues(p)) {
            let Some(span) = &policy.unusable_max_history else {
                continue;
            };
            let policy = &policy.name.name;
            out.push(
                Diagnostic::new(&StoryStructureConflict::META, file, span.clone(), format!("the `max_history` of {policy} is no whole number of turns, so the stories were compared without it"))
                    .with_label("not a number of turns")
                    .with_help("write a whole number from 1 up: Rasa stops training on text or a fraction, and slices every dialogue to nothing with a negative number"),
            );
        }
    }
}

fn report(
    analysis: &Analysis,
    conflict: &Conflict,
    given_by: &str,
    syntax: StorySyntax,
) -> Option<Diagnostic> {
    // The action whose first line comes last is the contradiction the finding points at.
    let (primary_index, primary_action) = conflict
        .actions
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.places.is_empty())
        .max_by_key(|(_, a)| (a.places[0].file, a.places[0].span.start))?;
    let primary = &primary_action.places[0];
    let parts: Vec<String> = conflict.actions.iter().map(describe_action).collect();
    let message = format!("after {}: {}", conflict.after, parts.join(", "));
    let mut diagnostic = Diagnostic::new(
        &StoryStructureConflict::META,
        primary.file,
        primary.span.clone(),
        message,
    )
    .with_label(label(&primary_action.action, primary, false));
    for (index, action) in conflict.actions.iter().enumerate() {
        let skip = usize::from(index == primary_index);
        for place in action.places.iter().skip(skip).take(PLACES_SHOWN) {
            diagnostic = diagnostic.with_related(
                place.file,
                place.span.clone(),
                label(&action.action, place, true),
            );
        }
    }
    Some(diagnostic.with_help(help(analysis, conflict, given_by, syntax)))
}

/// "`utter_a` in story `x`", "… in stories `x` and `y`", "… and 3 more".
fn describe_action(action: &CompetingAction) -> String {
    let mut stories: Vec<&str> = Vec::new();
    for place in &action.places {
        if !stories.contains(&place.story.as_str()) {
            stories.push(&place.story);
        }
    }
    let name = format!("`{}`", action.action);
    match stories.as_slice() {
        [] => name,
        [one] => format!("{name} in story `{one}`"),
        [a, b] => format!("{name} in stories `{a}` and `{b}`"),
        [a, rest @ ..] => format!("{name} in story `{a}` and {} more", rest.len()),
    }
}

fn label(action: &str, place: &ActionPlace, with_story: bool) -> String {
    let story = if with_story {
        format!(" in story `{}`", place.story)
    } else {
        String::new()
    };
    match place.kind {
        PlaceKind::Written => format!("`{action}` predicted here{story}"),
        PlaceKind::ListenBeforeTurn => {
            format!("`action_listen` predicted here{story}: the bot waits for this user turn")
        }
        PlaceKind::ListenAtStoryEnd => {
            format!(
                "`action_listen` predicted here{story}: the story ends, so the bot waits for the user"
            )
        }
    }
}

/// Says which `max_history` was used and where it came from (`given_by` when it was set
/// for rasalint), and which one would tell the stories apart.
fn help(analysis: &Analysis, conflict: &Conflict, given_by: &str, syntax: StorySyntax) -> String {
    let from = match &analysis.max_history_from {
        MaxHistoryFrom::Config { policy, .. } => {
            format!("the `max_history` of {policy} in config.yml")
        }
        MaxHistoryFrom::LongestStory => {
            "config.yml sets none, so Rasa's default for this check: the longest dialogue"
                .to_string()
        }
        MaxHistoryFrom::Given => format!("set by {given_by}"),
    };
    let turns = describe_window(&conflict.window, syntax);
    match conflict.separated_by {
        Some(needed) => format!(
            "the dialogues agree on their {last} (max_history {h}: {from}): {turns}; a policy with `max_history: {needed}` or more tells the stories apart, otherwise make them agree on the next action",
            h = analysis.max_history,
            last = match analysis.max_history {
                1 => "last state".to_string(),
                h => format!("last {h} states"),
            }
        ),
        None => format!(
            "the dialogues are the same from their start{whole}: {turns}; no `max_history` tells them apart, so make the stories agree on the next action, or make their turns or slots differ before it",
            whole = whole_dialogues(analysis, &from),
        ),
    }
}

/// When `max_history` is longer than the longest dialogue, says so: the whole dialogues
/// were compared, as they are for any `max_history` from that length on.
fn whole_dialogues(analysis: &Analysis, from: &str) -> String {
    if analysis.sliced_to >= analysis.max_history {
        return String::new();
    }
    format!(
        " (max_history {h}, {from}, is longer than the longest dialogue, {n} states, so whole dialogues are compared, as with any max_history from {n} on)",
        h = analysis.max_history,
        n = analysis.sliced_to,
    )
}

/// Turns shown of a conflict's history.
const TURNS_SHOWN: usize = 6;

/// The turns a sliced history shows, oldest first (`* intent` for a user turn, `- action`
/// for an action the domain knows; in YAML `intent: …`, `user: …`, `action: …`), then what
/// else the last state holds: "`* greet`, `- utter_greet`, `* affirm` (entity `name`, slot
/// `name` set)".
fn describe_window(window: &[Option<Vec<(String, f64)>>], syntax: StorySyntax) -> String {
    let mut turns: Vec<String> = Vec::new();
    let markdown = syntax == StorySyntax::Markdown;
    for features in window.iter().flatten() {
        let prev = features.iter().find_map(|(k, _)| k.strip_prefix("prev_"));
        let intent = features.iter().find_map(|(k, _)| k.strip_prefix("intent_"));
        let text = features.iter().find_map(|(k, _)| k.strip_prefix("text_"));
        if let Some(said) = features.iter().find_map(|(k, _)| k.strip_prefix("bot_")) {
            turns.push(format!("`bot: {said}`"));
            continue;
        }
        let turn = match (prev, intent, text) {
            (Some("action_listen"), Some(intent), _) if markdown => format!("`* {intent}`"),
            (Some("action_listen"), None, _) if markdown => "`* …`".to_string(),
            (Some(action), _, _) if markdown => format!("`- {action}`"),
            (Some("action_listen"), Some(intent), _) => format!("`intent: {intent}`"),
            (Some("action_listen"), None, Some(text)) => format!("`user: {text}`"),
            (Some("action_listen"), None, None) => "`user: …`".to_string(),
            (Some(action), _, _) => format!("`action: {action}`"),
            (None, _, _) => continue,
        };
        turns.push(turn);
    }
    let mut text = if turns.len() > TURNS_SHOWN {
        format!("…, {}", turns[turns.len() - TURNS_SHOWN..].join(", "))
    } else if turns.is_empty() {
        "the start of the dialogue".to_string()
    } else {
        turns.join(", ")
    };
    if let Some(Some(last)) = window.last() {
        let extra = describe_state(last);
        if !extra.is_empty() {
            text.push_str(&format!(" ({extra})"));
        }
    }
    text
}

/// What a state holds besides its previous action and intent: "entity `city`, entity
/// `city` as `from`, slot `city` set, form `f` active".
fn describe_state(features: &[(String, f64)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (key, _) in features {
        let part = if let Some(e) = key.strip_prefix("entity_") {
            // Rasa 2 and 3 label an entity's role or group `entity#role`.
            match e.split_once('#') {
                Some((entity, sub)) => format!("entity `{entity}` as `{sub}`"),
                None => format!("entity `{e}`"),
            }
        } else if let Some(s) = key.strip_prefix("slot_") {
            let slot = s.rsplit_once('_').map_or(s, |(name, _)| name);
            format!("slot `{slot}` set")
        } else if let Some(f) = key.strip_prefix("active_form_") {
            format!("form `{f}` active")
        } else {
            continue;
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join(", ")
}
