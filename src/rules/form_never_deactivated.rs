use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::story_graph::steps::{RawEvent, RawKind, Step, Steps};

declare_rule! {
    /// ## What it does
    /// Reports a form activation (`- form{"name": "restaurant_form"}`) after which a
    /// story path ends with the form still active: no `- form{"name": null}` follows
    /// before the end of the story, or of a story that continues it through checkpoints
    /// (a story ending with `> asked` goes on in every story starting with `> asked`).
    /// The finding is at the activation and names the form; when the path ends in
    /// another story, a second label points at where.
    ///
    /// What ends the activation on a path:
    ///
    /// * `- form{"name": null}`, the event Rasa 1.x stories deactivate forms with;
    /// * another `- form{"name": …}`: the newer activation replaces it (as a form written
    ///   again after an interruption does) and is checked on its own;
    /// * `- restart` or `- action_restart`: the conversation starts over, and what follows
    ///   owes nothing to the form.
    ///
    /// What does not, and is pointed out when it is on the path:
    ///
    /// * `- action_deactivate_form` alone. When the bot runs, the action returns the
    ///   event that deactivates the form, but training stories are not run, they are
    ///   replayed as written: like every event a custom action returns, it has to be
    ///   written, `- form{"name": null}` right after the action (as in Rasa's formbot).
    /// * `- active_loop{"name": null}`: Rasa 2.x's name for the event. Rasa 1.10 does not
    ///   know it and reads the line as an action.
    ///
    /// A path is followed through every story that continues it; a path that stops at an
    /// end checkpoint no story starts from ends there, and a checkpoint cycle that only
    /// leads back into itself ends none. Conditions on start checkpoints
    /// (`> asked{"cuisine": "thai"}`) are not evaluated: the path is assumed to go on.
    ///
    /// Rasa 1.x itself accepts a story that ends with a form active. Its documentation
    /// and its own example stories never write one: every story that activates a form
    /// deactivates it, the happy paths right after the activation, the unhappy ones once
    /// the interruption is handled. That is why the rule is off by default; turn it on to
    /// hold a bot's stories to that practice. It checks Rasa 1.x bots only: from Rasa 2
    /// on, rules (which this story-path analysis does not follow) usually end forms.
    ///
    /// ## Why is this bad?
    /// When the form has filled its last slot it deactivates itself, and the policies
    /// predict what the bot does next from the stories. A story that never writes the
    /// deactivation never shows the form ending, so it teaches nothing about what comes
    /// after it (`utter_slots_values`, a confirmation, a goodbye); and every turn it
    /// replays after the activation is learnt with the form still active, a state the
    /// bot is no longer in once the form is done.
    ///
    /// ## Example
    /// ```md
    /// ## chitchat during the form
    /// * request_restaurant
    ///   - restaurant_form
    ///   - form{"name": "restaurant_form"}     <- never deactivated
    /// * chitchat
    ///   - utter_chitchat
    ///   - restaurant_form
    ///                                         <- write form{"name": null} and what follows
    /// ```
    pub struct FormNeverDeactivated {
        code: "RL308",
        name: "form-never-deactivated",
        severity: Warning,
        enabled_by_default: false,
        runs_long: true,
        versions: [V1],
        summary: "a form activated in a story and never deactivated",
    }
}

impl Rule for FormNeverDeactivated {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if !activates_a_form(project) {
            return;
        }
        let steps = Steps::read(project);
        let paths = OpenPaths::find(project, &steps);
        // A line can be in several steps (copies made for `OR` turns and checkpoints):
        // it is reported once, with the first path found open.
        let mut activations: HashMap<(FileId, usize), Option<(Activation, PathEnd)>> =
            HashMap::default();
        for step in &steps.steps {
            for (activation, open) in paths.activations(step) {
                let seen = activations
                    .entry((activation.file, activation.span.start))
                    .or_default();
                if seen.is_none()
                    && let Some(end) = open
                {
                    *seen = Some((activation, end));
                }
            }
        }
        for (activation, end) in activations.into_values().flatten() {
            out.push(report(&steps, activation, end));
        }
    }
}

/// Whether any story line activates a form: most bots have none, and need no graph.
fn activates_a_form(project: &Project) -> bool {
    project
        .story_files()
        .flat_map(|(_, stories)| stories.steps())
        .any(|step| matches!(&step.kind, StepKind::Form { name: Some(name), .. } if !name.is_empty()))
}

/// What an event does to the active form on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Nothing to do with forms.
    Nothing,
    /// The form stops being active: `form{"name": null}`, a restart.
    Ends,
    /// Another activation replaces the active one.
    Replaces,
    /// Looks like a deactivation but is not one in a Rasa 1.10 training story.
    LooksLikeEnd(LookAlike),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LookAlike {
    DeactivateAction,
    ActiveLoop,
}

/// A look-alike deactivation met on a path, where it is written.
#[derive(Debug, Clone)]
struct LookAlikeAt {
    kind: LookAlike,
    file: FileId,
    span: Span,
}

/// Where a path ends with a form still active.
#[derive(Debug, Clone)]
struct PathEnd {
    /// The story (block index) the path ends in, and the line it ends at.
    block: u32,
    file: FileId,
    span: Span,
    /// The end checkpoint the path stops at, when no story continues it.
    unconsumed: Option<String>,
    /// The first look-alike deactivation on the way there.
    look_alike: Option<LookAlikeAt>,
}

/// A `form{"name": x}` line.
#[derive(Debug, Clone)]
struct Activation {
    form: String,
    file: FileId,
    span: Span,
    block: u32,
}

/// For every step entered with a form active, whether a path from its start reaches a
/// story end without the form ending, and the first such end found.
struct OpenPaths<'s, 'p> {
    steps: &'s Steps<'p>,
    /// `- active_loop{"name": null}` lines, which Rasa 1.10 reads as actions named "".
    active_loop_lines: HashSet<(FileId, usize)>,
    /// Steps starting at each checkpoint name.
    consumers: ByCheckpoint,
    from_start: Vec<Option<PathEnd>>,
}

impl<'s, 'p> OpenPaths<'s, 'p> {
    /// Walks the graph backwards from the story ends reached with no form event: each
    /// step and checkpoint is visited once, so the work is linear in the size of the
    /// graph, checkpoint cycles included.
    fn find(project: &Project, steps: &'s Steps<'p>) -> Self {
        let (consumers, producers) = checkpoint_index(steps);
        let mut paths = OpenPaths {
            steps,
            active_loop_lines: active_loop_lines(project),
            consumers,
            from_start: vec![None; steps.steps.len()],
        };
        let transparent: Vec<bool> = steps
            .steps
            .iter()
            .map(|s| paths.first_effect(steps.events_of(s)).is_none())
            .collect();
        let mut queue: Vec<usize> = Vec::new();
        for (index, step) in steps.steps.iter().enumerate() {
            if transparent[index]
                && let Some(end) = paths.own_end(step, steps.events_of(step))
            {
                paths.from_start[index] = Some(end);
                queue.push(index);
            }
        }
        paths.spread_back(queue, &producers, &transparent);
        paths
    }

    /// Marks open every step without a form event whose end checkpoint a step marked
    /// open starts from, until none is left: each checkpoint is expanded once.
    fn spread_back(
        &mut self,
        mut queue: Vec<usize>,
        producers: &ByCheckpoint,
        transparent: &[bool],
    ) {
        let steps = self.steps;
        let mut checkpoints_done: HashSet<u32> = HashSet::default();
        while let Some(reached) = queue.pop() {
            let Some(end) = self.from_start[reached].clone() else {
                continue;
            };
            let start = steps.steps[reached].start as usize;
            for cp in &steps.start_lists[start] {
                if !checkpoints_done.insert(cp.name) {
                    continue;
                }
                for &producer in producers.get(&cp.name).into_iter().flatten() {
                    if transparent[producer] && self.from_start[producer].is_none() {
                        let events = steps.events_of(&steps.steps[producer]);
                        self.from_start[producer] = Some(self.with_look_alike(end.clone(), events));
                        queue.push(producer);
                    }
                }
            }
        }
    }

    /// Every activation of `step`, with where a path from it ends with the form active.
    fn activations(&self, step: &Step) -> Vec<(Activation, Option<PathEnd>)> {
        let events = self.steps.events_of(step);
        let mut found = Vec::new();
        for (at, event) in events.iter().enumerate() {
            let RawKind::Form(Some(form)) = event.kind() else {
                continue;
            };
            if form.is_empty() {
                continue;
            }
            let tail = &events[at + 1..];
            let open = match self.first_effect(tail) {
                Some(_) => None,
                None => self.end_after(step, tail),
            };
            let activation = Activation {
                form: form.to_string(),
                file: self.steps.file_of(event),
                span: event.line.span(),
                block: step.block,
            };
            found.push((activation, open));
        }
        found
    }

    fn effect(&self, event: &RawEvent) -> Effect {
        match event.kind() {
            RawKind::Form(None) | RawKind::Form(Some("")) => Effect::Ends,
            RawKind::Form(Some(_)) => Effect::Replaces,
            RawKind::Other("restart", _) | RawKind::Action("action_restart") => Effect::Ends,
            RawKind::Action("action_deactivate_form") => {
                Effect::LooksLikeEnd(LookAlike::DeactivateAction)
            }
            RawKind::Action("")
                if self
                    .active_loop_lines
                    .contains(&(self.steps.file_of(event), event.line.span().start)) =>
            {
                Effect::LooksLikeEnd(LookAlike::ActiveLoop)
            }
            _ => Effect::Nothing,
        }
    }

    /// The first event that ends or replaces the active form.
    fn first_effect(&self, events: &[RawEvent]) -> Option<Effect> {
        events
            .iter()
            .map(|e| self.effect(e))
            .find(|e| matches!(e, Effect::Ends | Effect::Replaces))
    }

    /// `end`, with the first look-alike deactivation of `events`, which come before it.
    fn with_look_alike(&self, mut end: PathEnd, events: &[RawEvent]) -> PathEnd {
        let first = events.iter().find_map(|event| match self.effect(event) {
            Effect::LooksLikeEnd(kind) => Some(LookAlikeAt {
                kind,
                file: self.steps.file_of(event),
                span: event.line.span(),
            }),
            _ => None,
        });
        if first.is_some() {
            end.look_alike = first;
        }
        end
    }

    /// Where a path ends right after `tail` (the end of `step`) if it ends in this story:
    /// the story ends there, or no story continues its end checkpoint.
    fn own_end(&self, step: &Step, tail: &[RawEvent]) -> Option<PathEnd> {
        let continued = step
            .end
            .iter()
            .any(|cp| self.consumers.contains_key(&cp.name));
        if continued {
            return None;
        }
        let last = self.steps.events_of(step).last()?;
        // A generated checkpoint (after an `OR` turn) is no line of the story.
        let unconsumed = step
            .end
            .iter()
            .find(|cp| !self.steps.is_generated(cp.name))
            .map(|cp| self.steps.checkpoint_str(cp.name).to_string());
        let end = PathEnd {
            block: step.block,
            file: self.steps.file_of(last),
            span: last.line.span(),
            unconsumed,
            look_alike: None,
        };
        Some(self.with_look_alike(end, tail))
    }

    /// Where a path ends after `tail`, the rest of `step` after an activation.
    fn end_after(&self, step: &Step, tail: &[RawEvent]) -> Option<PathEnd> {
        if let Some(end) = self.own_end(step, tail) {
            return Some(end);
        }
        let next = step
            .end
            .iter()
            .flat_map(|cp| self.consumers.get(&cp.name).into_iter().flatten())
            .find_map(|&consumer| self.from_start[consumer].clone())?;
        Some(self.with_look_alike(next, tail))
    }
}

/// The steps starting from each checkpoint name, and those ending with it.
type ByCheckpoint = HashMap<u32, Vec<usize>>;

fn checkpoint_index(steps: &Steps) -> (ByCheckpoint, ByCheckpoint) {
    let mut consumers = ByCheckpoint::default();
    let mut producers = ByCheckpoint::default();
    for (index, step) in steps.steps.iter().enumerate() {
        for cp in &steps.start_lists[step.start as usize] {
            consumers.entry(cp.name).or_default().push(index);
        }
        for cp in &step.end {
            producers.entry(cp.name).or_default().push(index);
        }
    }
    (consumers, producers)
}

/// The `- active_loop{…}` lines of every story file that Rasa 1.10 reads as an action
/// with no name (`{"name": null}`).
fn active_loop_lines(project: &Project) -> HashSet<(FileId, usize)> {
    let mut lines = HashSet::default();
    for (file, stories) in project.story_files() {
        let text = &project.file(file).text;
        for (step, name) in stories.actions() {
            let written = text.get(step.name_span()).unwrap_or_default();
            if name.is_empty() && written == "active_loop" {
                lines.insert((file, step.span().start));
            }
        }
    }
    lines
}

fn story_name(steps: &Steps, block: u32) -> String {
    match steps.blocks.get(block as usize).map(|b| b.name) {
        Some(name) if !name.is_empty() => format!("story `{name}`"),
        _ => "an untitled story".to_string(),
    }
}

fn report(steps: &Steps, activation: Activation, end: PathEnd) -> Diagnostic {
    let Activation {
        form,
        file,
        span,
        block,
    } = activation;
    let story = story_name(steps, block);
    let same_story = end.block == block;
    let message = if same_story {
        format!("{story} activates form `{form}` and never deactivates it")
    } else {
        format!(
            "form `{form}`, activated in {story}, is still active where {} ends",
            story_name(steps, end.block)
        )
    };
    let label = match (&end.unconsumed, same_story) {
        (Some(cp), true) => {
            format!("activated here; the story ends at checkpoint `{cp}`, which no story continues")
        }
        _ => "activated here, never deactivated".to_string(),
    };
    let mut diagnostic =
        Diagnostic::new(&FormNeverDeactivated::META, file, span, message).with_label(label);
    if !same_story {
        let ends = match &end.unconsumed {
            Some(cp) => format!(
                "the path ends here with `{form}` active: no story continues checkpoint `{cp}`"
            ),
            None => format!("the path ends here with `{form}` active"),
        };
        diagnostic = diagnostic.with_related(end.file, end.span.clone(), ends);
    }
    let help = match &end.look_alike {
        Some(look_alike) => {
            let (note, help) = look_alike_notes(look_alike.kind);
            diagnostic = diagnostic.with_related(look_alike.file, look_alike.span.clone(), note);
            help.to_string()
        }
        None => {
            let deactivate = format!(
                "write `- form{{\"name\": null}}` after the last `{form}` step, then what the bot does once the form is done: without it the training stories never show the form ending"
            );
            match &end.unconsumed {
                Some(cp) => format!(
                    "no story starts from `> {cp}` (is the name misspelt?); if the story is not meant to go on, {deactivate}"
                ),
                None => deactivate,
            }
        }
    };
    diagnostic.with_help(help)
}

fn look_alike_notes(kind: LookAlike) -> (&'static str, &'static str) {
    match kind {
        LookAlike::DeactivateAction => (
            "`action_deactivate_form` deactivates the form only when the bot runs",
            "write `- form{\"name\": null}` right after `- action_deactivate_form`: training stories are replayed, not run, so the event the action returns has to be written",
        ),
        LookAlike::ActiveLoop => (
            "Rasa 1.10 reads `active_loop` as an action, not as an event",
            "write `- form{\"name\": null}` instead of `- active_loop{\"name\": null}`: `active_loop` is the Rasa 2.x name of the event",
        ),
    }
}
