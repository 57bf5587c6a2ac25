//! Dialogue states as the bot's Rasa version computes them, and the tracker events that
//! change them.
//!
//! A state is interned as a set of features. Rasa 1.10's states are flat feature dicts
//! (`intent_<name>`, `entity_<name>`, `slot_<name>_<i>`, `prev_<action>`,
//! `active_form_<name>`); Rasa 2.8's and 3.6's are dicts of sub-states (`user`: intent,
//! text, entity labels with roles and groups; `prev_action`: an action's name or a bot
//! text; `slots`: each set slot's features; `active_loop`), which map one for one onto
//! the same kind of features (a slot's features by their non-zero dimensions), so two
//! states are equal exactly when Rasa's are. The differences by version are in
//! [`Store::message_feats`], [`Store::state_of`], the slots' featurisation and how a
//! tracker's states are rebuilt after a `rewind`. The states of a
//! tracker (`TrackerWithCachedStates._states`: the state before each action, then the
//! current one) are a path in a hash-consed trie, so two trackers with the same states
//! share a node and comparing whole histories is comparing two numbers.
//!
//! What a tracker carries besides its states ([`Dyn`]) is small and `Copy`: the slot
//! values, the latest user message, the latest action and the active form.

use serde_json::Value;

use super::PreviousEvent;
use super::domain::{FeatDomain, truthy};
use super::seqhash;
use super::steps::{RawEvent, RawKind};
use crate::model::dialogue::TurnEntity;
use crate::rasa::RasaVersion;
use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;

/// "No such thing" for interned ids.
pub const NONE: u32 = u32::MAX;

/// One feature key of a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feat {
    Intent(u32),
    Entity(u32),
    /// Slot index in [`FeatDomain::slots`], feature dimension.
    Slot(u32, u32),
    Prev(u32),
    Form(u32),
    /// The end-to-end text of a YAML user step.
    Text(u32),
    /// A YAML `bot:` text as the previous action (Rasa 2 and 3: `action_text`).
    BotText(u32),
}

/// The active form as `DialogueStateTracker.active_form` holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FormState {
    /// [`NONE`] when no form is active (or the dict holds no name).
    pub name: u32,
    pub validate: bool,
    pub rejected: bool,
}

impl FormState {
    const EMPTY: FormState = FormState {
        name: NONE,
        validate: false,
        rejected: false,
    };
}

/// Everything of a tracker that decides its future states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dyn {
    /// Interned slot values, one per domain slot.
    pub slots: u32,
    /// Interned latest user message ([`EMPTY_MESSAGE`] before the first).
    pub message: u32,
    /// Latest action name, or [`NONE`].
    pub action: u32,
    pub form: FormState,
    /// The state-trie node of the tracker's states (top = current state), or [`NONE`].
    pub states: u32,
}

pub const EMPTY_MESSAGE: u32 = 0;

/// One tracker event, as the generator applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ev {
    Action(u32),
    User(u32),
    /// Slot index (or [`NONE`] for a slot the domain lacks), interned value.
    Slot(u32, u32),
    /// Form name, or [`NONE`] to deactivate.
    Form(u32),
    Restart,
    /// `rewind`: `UserUtteranceReverted`.
    Rewind,
    /// `undo`: `ActionReverted`.
    Undo,
    ResetSlots,
    SessionStarted,
    FormValidation(bool),
    /// `ActionExecutionRejected` with its action name (Markdown gives none).
    Reject(u32),
    /// Events that change nothing a state shows (`bot`, `followup`, `pause`, …).
    Noop,
}

/// A latest user message: what its features come from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    intent: u32,
    /// The end-to-end text of a YAML `user:` step, or [`NONE`].
    text: u32,
    confidence: u64,
    /// Entity names, sorted, without repeats.
    entities: Vec<u32>,
}

/// What an event that needs no history does to a tracker's states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateOp {
    /// A state after the current one (an action: the state it is followed by).
    Push(u32),
    /// The current state replaced (any other event changes the state it follows).
    Replace(u32),
}

/// Where an explicit event comes from, relative to its step's written events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The written event with this index.
    Written(u32),
    /// The `action_listen` Rasa adds before the user turn with this index.
    ListenBefore(u32),
    /// The `action_listen` Rasa adds after the step's last event (index) at a story end.
    ListenAtEnd(u32),
    /// A slot Rasa fills from the entities of the user turn with this index.
    AutoFill(u32),
}

#[derive(Debug, Clone, Copy)]
struct SNode {
    parent: u32,
    state: u32,
    depth: u32,
}

/// Interned names, values, messages, states and the state trie.
pub struct Store<'d> {
    pub domain: &'d FeatDomain,
    names: HashMap<String, u32>,
    name_list: Vec<String>,
    /// Per name: whether `prev_<name>` is a feature (0 not yet known, 1 yes, 2 no).
    known_action: Vec<u8>,
    /// Bot texts, interned apart from names (an action and a text may be written alike,
    /// and Rasa 2 and 3 tell them apart); their ids index `name_list` too.
    bot_texts: HashMap<String, u32>,
    is_bot_text: Vec<bool>,
    values: HashMap<u128, u32>,
    value_list: Vec<Value>,
    slot_vecs: HashMap<Vec<u32>, u32>,
    slot_vec_list: Vec<Vec<u32>>,
    slot_features: Vec<Option<Vec<(Feat, u64)>>>,
    messages: HashMap<u128, u32>,
    scratch: Vec<u32>,
    message_list: Vec<Message>,
    message_features: Vec<Option<Vec<(Feat, u64)>>>,
    states: HashMap<Vec<(Feat, u64)>, u32>,
    state_list: Vec<Vec<(Feat, u64)>>,
    state_memo: HashMap<(u32, u32, u32, u32), u32>,
    snodes: Vec<SNode>,
    /// Per trie node, the [`seqhash`] hash of its states (a dialogue that ends in a
    /// shared segment is identified by this and the segment's hash).
    snode_hashes: Vec<u128>,
    /// The trie's nodes by (parent, state), each entry only the node's id (its parent and
    /// state are in `snodes`): a checkpoint that joins many stories makes millions of
    /// nodes, and a map holding the pair again tripled the entry.
    snode_map: HashTable<u32>,
    pub listen: u32,
    empty_name: u32,
    initial_slots: u32,
}

impl<'d> Store<'d> {
    pub fn new(domain: &'d FeatDomain) -> Self {
        let mut store = Store {
            domain,
            names: HashMap::default(),
            name_list: Vec::new(),
            known_action: Vec::new(),
            bot_texts: HashMap::default(),
            is_bot_text: Vec::new(),
            values: HashMap::default(),
            value_list: Vec::new(),
            slot_vecs: HashMap::default(),
            slot_vec_list: Vec::new(),
            slot_features: Vec::new(),
            messages: HashMap::default(),
            scratch: Vec::new(),
            message_list: Vec::new(),
            message_features: Vec::new(),
            states: HashMap::default(),
            state_list: Vec::new(),
            state_memo: HashMap::default(),
            snodes: Vec::new(),
            snode_hashes: Vec::new(),
            snode_map: HashTable::new(),
            listen: 0,
            empty_name: 0,
            initial_slots: 0,
        };
        store.listen = store.name("action_listen");
        store.empty_name = store.name("");
        // The empty message (`UserUttered.empty()`) is message 0.
        store.message_list.push(Message {
            intent: NONE,
            text: NONE,
            confidence: 0,
            entities: Vec::new(),
        });
        store.message_features.push(None);
        let initial: Vec<u32> = domain
            .slots
            .iter()
            .map(|s| store.value(&s.initial))
            .collect();
        store.initial_slots = store.slot_vec(initial);
        store
    }

    pub fn name(&mut self, name: &str) -> u32 {
        self.intern(name, false)
    }

    /// The id of a bot text, which an action of the same name does not share.
    pub fn bot_text(&mut self, text: &str) -> u32 {
        self.intern(text, true)
    }

    /// A name's or a bot text's id, each kind interned in its own map.
    fn intern(&mut self, text: &str, bot_text: bool) -> u32 {
        let ids = if bot_text {
            &mut self.bot_texts
        } else {
            &mut self.names
        };
        if let Some(&id) = ids.get(text) {
            return id;
        }
        let id = self.name_list.len() as u32;
        ids.insert(text.to_owned(), id);
        self.name_list.push(text.to_owned());
        self.known_action.push(0);
        self.is_bot_text.push(bot_text);
        id
    }

    fn rasa(&self) -> RasaVersion {
        self.domain.rasa
    }

    pub fn name_str(&self, id: u32) -> &str {
        &self.name_list[id as usize]
    }

    fn truthy_name(&self, id: u32) -> bool {
        id != NONE && id != self.empty_name
    }

    fn knows_action(&mut self, id: u32) -> bool {
        if self.is_bot_text[id as usize] {
            return false;
        }
        if self.known_action[id as usize] == 0 {
            let known = self.domain.knows_action(&self.name_list[id as usize]);
            self.known_action[id as usize] = if known { 1 } else { 2 };
        }
        self.known_action[id as usize] == 1
    }

    pub fn value(&mut self, value: &Value) -> u32 {
        let mut hasher = Hash128::default();
        hash_value(value, &mut hasher);
        let key = hasher.finish();
        if let Some(&id) = self.values.get(&key) {
            return id;
        }
        let id = self.value_list.len() as u32;
        self.values.insert(key, id);
        self.value_list.push(value.clone());
        id
    }

    pub fn value_of(&self, id: u32) -> &Value {
        &self.value_list[id as usize]
    }

    fn slot_vec(&mut self, values: Vec<u32>) -> u32 {
        if let Some(&id) = self.slot_vecs.get(&values) {
            return id;
        }
        let id = self.slot_vec_list.len() as u32;
        self.slot_vecs.insert(values.clone(), id);
        self.slot_vec_list.push(values);
        self.slot_features.push(None);
        id
    }

    /// The value a tracker holds for a slot name (`tracker.get_slot`: `None` for a slot
    /// the domain lacks).
    pub fn slot_value(&self, slots: u32, name: &str) -> Value {
        match self.domain.slot(name) {
            Some(i) => self.value_list[self.slot_vec_list[slots as usize][i] as usize].clone(),
            None => Value::Null,
        }
    }

    /// A user turn as Rasa's regex interpreter parses it, with the end-to-end text of a
    /// YAML `user:` step (an empty one is none, as Rasa's truthiness has it) and the
    /// labels of its entities: their types, and from Rasa 2 on `type#role` and
    /// `type#group` too.
    pub fn message(
        &mut self,
        intent: Option<&str>,
        text: Option<&str>,
        confidence: f64,
        entities: &[TurnEntity],
    ) -> u32 {
        let intent = intent.map_or(NONE, |i| self.name(i));
        let text = text
            .filter(|t| !t.is_empty())
            .map_or(NONE, |t| self.name(t));
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let with_sub_labels = self.rasa() != RasaVersion::V1;
        for entity in entities {
            let Some(name) = entity.entity.as_deref() else {
                continue;
            };
            scratch.push(self.name(name));
            let subs = [entity.role(), entity.group()];
            for sub in subs.into_iter().flatten().filter(|_| with_sub_labels) {
                scratch.push(self.name(&format!("{name}#{sub}")));
            }
        }
        scratch.sort_unstable();
        scratch.dedup();
        let mut hasher = Hash128::default();
        hasher.add(u64::from(intent));
        hasher.add(u64::from(text));
        hasher.add(confidence.to_bits());
        for &e in &scratch {
            hasher.add(u64::from(e));
        }
        let key = hasher.finish();
        let id = match self.messages.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.message_list.len() as u32;
                self.messages.insert(key, id);
                self.message_list.push(Message {
                    intent,
                    text,
                    confidence: confidence.to_bits(),
                    entities: scratch.clone(),
                });
                self.message_features.push(None);
                id
            }
        };
        self.scratch = scratch;
        id
    }

    fn slot_feats(&mut self, slots: u32) -> Vec<(Feat, u64)> {
        if let Some(f) = &self.slot_features[slots as usize] {
            return f.clone();
        }
        let values = self.slot_vec_list[slots as usize].clone();
        let mut out = Vec::new();
        for (i, slot) in self.domain.slots.iter().enumerate() {
            let value = &self.value_list[values[i] as usize];
            for (dim, f) in slot.features(value).into_iter().enumerate() {
                if f != 0.0 {
                    out.push((Feat::Slot(i as u32, dim as u32), f.to_bits()));
                }
            }
        }
        self.slot_features[slots as usize] = Some(out.clone());
        out
    }

    fn message_feats(&mut self, message: u32) -> Vec<(Feat, u64)> {
        if let Some(f) = &self.message_features[message as usize] {
            return f.clone();
        }
        let m = self.message_list[message as usize].clone();
        let out = match self.rasa() {
            RasaVersion::V1 => self.user_features_rasa1(&m),
            RasaVersion::V2 | RasaVersion::V3 => self.user_features_rasa2(&m),
        };
        self.message_features[message as usize] = Some(out.clone());
        out
    }

    /// Rasa 1.10's user features: the intent (valued by its confidence) and the entities
    /// the intent uses, none without an intent.
    fn user_features_rasa1(&mut self, m: &Message) -> Vec<(Feat, u64)> {
        let mut out = Vec::new();
        if self.truthy_name(m.intent) {
            out.extend(self.used_entities(m));
            out.push((Feat::Intent(m.intent), m.confidence));
        }
        // A YAML bot read as Rasa 1 keeps its end-to-end text apart, as Rasa 2 does.
        if m.text != NONE {
            out.push((Feat::Text(m.text), 1.0f64.to_bits()));
        }
        out
    }

    /// Rasa 2.8's and 3.6's `user` sub-state (`UserUttered.as_sub_state`): a turn with a
    /// text and no intent is its text alone; one with an intent and no text, the intent
    /// and its entity labels; one with both (or neither), all three. Entity labels are
    /// kept where the intent uses them (every label for an intent the domain lacks).
    fn user_features_rasa2(&mut self, m: &Message) -> Vec<(Feat, u64)> {
        let has_intent = self.truthy_name(m.intent);
        let has_text = m.text != NONE;
        let text_only = has_text && !has_intent;
        let intent_only = has_intent && !has_text;
        let mut out = Vec::new();
        if has_text && !intent_only {
            out.push((Feat::Text(m.text), 1.0f64.to_bits()));
        }
        if !text_only {
            if has_intent {
                out.push((Feat::Intent(m.intent), 1.0f64.to_bits()));
            }
            out.extend(self.used_entities(m));
        }
        out
    }

    /// The entity features of a message: the labels its intent uses.
    fn used_entities(&self, m: &Message) -> Vec<(Feat, u64)> {
        let intent = if m.intent == NONE {
            ""
        } else {
            self.name_str(m.intent)
        };
        let names: Vec<&str> = m.entities.iter().map(|&e| self.name_str(e)).collect();
        self.domain
            .featurized_entities(intent, &names)
            .into_iter()
            .map(|entity| (Feat::Entity(self.names[entity]), 1.0f64.to_bits()))
            .collect()
    }

    /// `domain.get_active_states(tracker)`, interned.
    pub fn state_of(&mut self, d: &Dyn) -> u32 {
        let key = (d.slots, d.message, d.action, d.form.name);
        if let Some(&id) = self.state_memo.get(&key) {
            return id;
        }
        let mut features = self.message_feats(d.message);
        features.extend(self.slot_feats(d.slots));
        if d.action != NONE {
            // Rasa 1.10 knows the actions of its domain only; Rasa 2 and 3 any action,
            // and a bot's text as what it said.
            let feature = match self.rasa() {
                RasaVersion::V1 if self.knows_action(d.action) => Some(Feat::Prev(d.action)),
                RasaVersion::V1 => None,
                _ if self.is_bot_text[d.action as usize] => Some(Feat::BotText(d.action)),
                _ => Some(Feat::Prev(d.action)),
            };
            features.extend(feature.map(|f| (f, 1.0f64.to_bits())));
        }
        if d.form.name != NONE {
            features.push((Feat::Form(d.form.name), 1.0f64.to_bits()));
        }
        features.sort_unstable();
        features.dedup_by_key(|f| f.0);
        let id = match self.states.get(&features) {
            Some(&id) => id,
            None => {
                let id = self.state_list.len() as u32;
                self.states.insert(features.clone(), id);
                self.state_list.push(features);
                id
            }
        };
        self.state_memo.insert(key, id);
        id
    }

    /// A state's features as Rasa names them, sorted, with their values.
    pub fn describe_state(&self, state: u32) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = self.state_list[state as usize]
            .iter()
            .map(|&(feat, bits)| {
                let key = match feat {
                    Feat::Intent(i) => format!("intent_{}", self.name_str(i)),
                    Feat::Entity(e) => format!("entity_{}", self.name_str(e)),
                    Feat::Slot(s, d) => format!("slot_{}_{d}", self.domain.slots[s as usize].name),
                    Feat::Prev(a) => format!("prev_{}", self.name_str(a)),
                    Feat::Form(f) => format!("active_form_{}", self.name_str(f)),
                    Feat::Text(t) => format!("text_{}", self.name_str(t)),
                    Feat::BotText(t) => format!("bot_{}", self.name_str(t)),
                };
                (key, f64::from_bits(bits))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// `_get_previous_event`: what happened just before a state — the previous action
    /// unless it is `action_listen` (or the bot's text), else the intent of the latest
    /// user turn (its text, for an end-to-end turn without one).
    pub fn previous_event(&self, state: u32) -> Option<PreviousEvent> {
        let features = &self.state_list[state as usize];
        let mut user = None;
        for &(feat, _) in features {
            match feat {
                Feat::Prev(a) if a != self.listen => {
                    return Some(PreviousEvent::Action(self.name_str(a).to_owned()));
                }
                Feat::BotText(t) => {
                    return Some(PreviousEvent::BotText(self.name_str(t).to_owned()));
                }
                Feat::Intent(i) => user = Some(PreviousEvent::Intent(self.name_str(i).to_owned())),
                Feat::Text(t) if user.is_none() => {
                    user = Some(PreviousEvent::UserText(self.name_str(t).to_owned()));
                }
                _ => {}
            }
        }
        user
    }

    // The state trie.

    /// The node for `parent`'s states followed by `state` ([`NONE`] parent: a first state).
    pub fn push(&mut self, parent: u32, state: u32) -> u32 {
        let hash = node_hash(parent, state);
        let snodes = &self.snodes;
        let same = |&id: &u32| {
            let node = snodes[id as usize];
            node.parent == parent && node.state == state
        };
        if let Some(&id) = self.snode_map.find(hash, same) {
            return id;
        }
        let depth = if parent == NONE {
            1
        } else {
            self.snodes[parent as usize].depth + 1
        };
        let id = self.snodes.len() as u32;
        self.snodes.push(SNode {
            parent,
            state,
            depth,
        });
        self.snode_hashes
            .push(seqhash::extend(self.hash(parent), state));
        let snodes = &self.snodes;
        self.snode_map.insert_unique(hash, id, |&id| {
            let node = snodes[id as usize];
            node_hash(node.parent, node.state)
        });
        id
    }

    /// How many nodes the state trie has (node ids are below this).
    pub fn nodes(&self) -> usize {
        self.snodes.len()
    }

    pub fn parent(&self, node: u32) -> u32 {
        if node == NONE {
            NONE
        } else {
            self.snodes[node as usize].parent
        }
    }

    pub fn depth(&self, node: u32) -> u32 {
        if node == NONE {
            0
        } else {
            self.snodes[node as usize].depth
        }
    }

    /// The [`seqhash`] hash of a node's states (0 for none).
    pub fn hash(&self, node: u32) -> u128 {
        if node == NONE {
            0
        } else {
            self.snode_hashes[node as usize]
        }
    }

    pub fn state_at(&self, node: u32) -> u32 {
        self.snodes[node as usize].state
    }

    /// The tracker before any event.
    pub fn initial(&mut self) -> Dyn {
        let mut d = self.reset();
        let state = self.state_of(&d);
        d.states = self.push(NONE, state);
        d
    }

    /// `tracker._reset()`, keeping the states.
    fn reset(&self) -> Dyn {
        Dyn {
            slots: self.initial_slots,
            message: EMPTY_MESSAGE,
            action: NONE,
            form: FormState::EMPTY,
            states: NONE,
        }
    }

    /// `event.apply_to(tracker)` for events that need no history.
    fn effect(&mut self, mut d: Dyn, ev: Ev) -> Dyn {
        match ev {
            Ev::Action(a) => {
                d.action = a;
                if self.truthy_name(d.form.name) {
                    d.form.validate = true;
                }
                if a == d.form.name {
                    d.form.rejected = false;
                }
            }
            Ev::User(m) => d.message = m,
            Ev::Slot(slot, value) => {
                if slot != NONE {
                    let mut values = self.slot_vec_list[d.slots as usize].clone();
                    values[slot as usize] = value;
                    d.slots = self.slot_vec(values);
                }
            }
            Ev::Form(name) => {
                d.form = if name == NONE {
                    FormState::EMPTY
                } else {
                    FormState {
                        name,
                        validate: true,
                        rejected: false,
                    }
                }
            }
            Ev::ResetSlots => d.slots = self.initial_slots,
            Ev::Restart | Ev::SessionStarted => {
                let states = d.states;
                d = self.reset();
                d.states = states;
            }
            Ev::FormValidation(v) => d.form.validate = v,
            Ev::Reject(name) => {
                if name == d.form.name {
                    d.form.rejected = true;
                }
            }
            Ev::Rewind | Ev::Undo | Ev::Noop => {}
        }
        d
    }

    /// [`Store::apply`] for an event that neither resets nor replays the history (all
    /// but `restart`, `rewind` and `undo`, for which it is `None`): the tracker's next
    /// control (`states` left as they were) and what the event does to its states. Both
    /// follow from the control alone, which is what lets a step run once for every
    /// tracker entering it with the same control.
    pub fn transition(&mut self, d: Dyn, ev: Ev) -> Option<(Dyn, StateOp)> {
        if matches!(ev, Ev::Restart | Ev::Rewind | Ev::Undo) {
            return None;
        }
        let next = self.effect(d, ev);
        let state = self.state_of(&next);
        let op = match ev {
            Ev::Action(_) => StateOp::Push(state),
            _ => StateOp::Replace(state),
        };
        Some((next, op))
    }

    /// The state-trie node of `states` changed by `op`.
    pub fn apply_op(&mut self, states: u32, op: StateOp) -> u32 {
        match op {
            StateOp::Push(state) => self.push(states, state),
            StateOp::Replace(state) => self.push(self.parent(states), state),
        }
    }

    /// `TrackerWithCachedStates.update(event)`. `history` gives the tracker's earlier
    /// events (only needed for `rewind` and `undo`, which replay them).
    pub fn apply(&mut self, d: Dyn, ev: Ev, history: impl FnOnce() -> Vec<Ev>) -> Dyn {
        match ev {
            Ev::Restart => {
                let mut next = self.effect(d, ev);
                let state = self.state_of(&next);
                next.states = self.push(NONE, state);
                next
            }
            Ev::Undo | Ev::Rewind => {
                let mut events = history();
                events.push(ev);
                let applied = match self.rasa() {
                    RasaVersion::V1 => applied_events(&events),
                    _ => self.applied_events_rasa2(&events),
                };
                let mut next = self.reset();
                for &e in &applied {
                    next = self.effect(next, e);
                }
                if ev == Ev::Undo {
                    // Rasa pops the states of the reverted action (and fails when there
                    // are none to pop), then appends the current one.
                    let popped = self.parent(self.parent(d.states));
                    let state = self.state_of(&next);
                    next.states = self.push(popped, state);
                } else {
                    let states = match self.rasa() {
                        RasaVersion::V1 => self.prior_states(&applied),
                        RasaVersion::V2 => self.prior_states_rasa2(&applied),
                        // Rasa 3.6 empties the cached states and appends the current
                        // one, without recomputing the others.
                        RasaVersion::V3 => vec![self.state_of(&next)],
                    };
                    let mut node = NONE;
                    for state in states {
                        node = self.push(node, state);
                    }
                    next.states = node;
                }
                next
            }
            _ => match self.transition(d, ev) {
                Some((mut next, op)) => {
                    next.states = self.apply_op(d.states, op);
                    next
                }
                None => d,
            },
        }
    }

    /// `generate_all_prior_trackers` over applied events: the states a tracker has when
    /// they are recomputed from scratch (which holds back turns inside an active form).
    fn prior_states(&mut self, applied: &[Ev]) -> Vec<u32> {
        let mut t = self.reset();
        let mut out = Vec::new();
        let mut ignored: Vec<u32> = Vec::new();
        let mut latest_message = t.message;
        for &ev in applied {
            match ev {
                Ev::User(m) if t.form.name == NONE => latest_message = m,
                Ev::Form(_) => t.message = latest_message,
                Ev::Action(a) => {
                    if t.form.name == NONE {
                        out.push(self.state_of(&t));
                    } else if t.form.rejected {
                        out.append(&mut ignored);
                        if !t.form.validate || a != t.form.name {
                            latest_message = t.message;
                        } else {
                            t.message = latest_message;
                        }
                        out.push(self.state_of(&t));
                    } else if a != t.form.name {
                        let mut copy = t;
                        copy.message = latest_message;
                        ignored.push(self.state_of(&copy));
                    }
                    if a == t.form.name {
                        ignored.clear();
                    }
                }
                _ => {}
            }
            t = self.effect(t, ev);
        }
        if t.form.name == NONE {
            out.push(self.state_of(&t));
        } else if t.form.rejected || t.action == self.listen {
            out.append(&mut ignored);
            out.push(self.state_of(&t));
        }
        out
    }

    /// Rasa 2.8's `generate_all_prior_trackers` over applied events: the state before
    /// each action, then the current one.
    fn prior_states_rasa2(&mut self, applied: &[Ev]) -> Vec<u32> {
        let mut t = self.reset();
        let mut out = Vec::new();
        for &ev in applied {
            if let Ev::Action(_) = ev {
                out.push(self.state_of(&t));
            }
            t = self.effect(t, ev);
        }
        out.push(self.state_of(&t));
        out
    }

    /// Rasa 2.8's and 3.6's `applied_events`: as Rasa 1's, and a loop's action run again
    /// on its happy path (no other action since the last user turn, no rejection) takes
    /// back the actions and user turns since its previous run.
    fn applied_events_rasa2(&self, events: &[Ev]) -> Vec<Ev> {
        let loops: Vec<u32> = events
            .iter()
            .filter_map(|e| match *e {
                Ev::Form(name) if self.truthy_name(name) => Some(name),
                _ => None,
            })
            .collect();
        let mut applied = Vec::new();
        for &e in events {
            match e {
                Ev::Action(a) if loops.contains(&a) && !first_run_or_unhappy_path(a, &applied) => {
                    undo_till_previous_run(a, &mut applied);
                }
                Ev::Restart | Ev::SessionStarted | Ev::Undo | Ev::Rewind => {
                    applied = applied_events(&[applied.as_slice(), &[e]].concat());
                }
                other => applied.push(other),
            }
        }
        applied
    }

    /// `StoryStep.explicit_events`: the step's events with the `action_listen` before each
    /// user turn (unless the step's previous event is one) and at a story end, and the
    /// slots filled from a turn's entities. With `places`, also where each comes from
    /// (asked again only to explain a finding: a bot's events are many, its findings few).
    pub fn explicit_events(
        &mut self,
        events: &[RawEvent],
        story_end: bool,
        out: &mut Vec<Ev>,
        mut places: Option<&mut Vec<Place>>,
    ) {
        let from = out.len();
        let listen = self.listen;
        let ends_with_listen =
            |out: &[Ev]| out.len() > from && out.last() == Some(&Ev::Action(listen));
        let mut emit = |out: &mut Vec<Ev>, ev: Ev, place: Place| {
            out.push(ev);
            if let Some(places) = places.as_deref_mut() {
                places.push(place);
            }
        };
        for (index, raw) in events.iter().enumerate() {
            let index = index as u32;
            let written = Place::Written(index);
            match raw.kind() {
                RawKind::User(turn) => {
                    if !ends_with_listen(out) {
                        emit(out, Ev::Action(listen), Place::ListenBefore(index));
                    }
                    let message = self.message(
                        turn.intent.as_deref(),
                        turn.e2e_text(),
                        turn.confidence(),
                        &turn.entities,
                    );
                    emit(out, Ev::User(message), written);
                    if self.domain.store_entities_as_slots && !turn.entities.is_empty() {
                        for (i, slot) in self.domain.slots.iter().enumerate() {
                            let values = slot.values_from(&turn.entities);
                            let Some(&last) = values.last() else {
                                continue;
                            };
                            let value = if slot.kind == super::domain::SlotKind::List {
                                Value::Array(
                                    values
                                        .into_iter()
                                        .map(crate::model::dialogue::JsonValue::to_json)
                                        .collect(),
                                )
                            } else {
                                last.to_json()
                            };
                            let value = self.value(&value);
                            emit(out, Ev::Slot(i as u32, value), Place::AutoFill(index));
                        }
                    }
                }
                RawKind::Action(name) => {
                    let ev = Ev::Action(self.name(name));
                    emit(out, ev, written);
                }
                RawKind::Slot(name, value) => {
                    let slot = self.domain.slot(name).map_or(NONE, |i| i as u32);
                    let ev = Ev::Slot(slot, self.value(&value.json()));
                    emit(out, ev, written);
                }
                RawKind::NamedSlot(name) => {
                    let slot = self.domain.slot(name);
                    let value = slot.map_or(Value::Null, |i| self.domain.slots[i].named_value());
                    let ev = Ev::Slot(slot.map_or(NONE, |i| i as u32), self.value(&value));
                    emit(out, ev, written);
                }
                // A bot text is an action Rasa knows by its text (Rasa 3 shows the text
                // where an action's name would be).
                RawKind::Bot(text) => {
                    let ev = Ev::Action(self.bot_text(text));
                    emit(out, ev, written);
                }
                RawKind::Form(name) => {
                    let ev = Ev::Form(name.map_or(NONE, |n| self.name(n)));
                    emit(out, ev, written);
                }
                RawKind::Other(type_name, parameters) => {
                    let ev = match type_name {
                        "restart" => Ev::Restart,
                        "rewind" => Ev::Rewind,
                        "undo" => Ev::Undo,
                        "reset_slots" => Ev::ResetSlots,
                        "session_started" => Ev::SessionStarted,
                        // Read from Markdown, Rasa passes the `timestamp` parameter as
                        // `validate`, and none as the rejected action's name.
                        "form_validation" => {
                            Ev::FormValidation(parameters.get("timestamp").is_some_and(truthy))
                        }
                        "action_execution_rejected" => Ev::Reject(NONE),
                        _ => Ev::Noop,
                    };
                    emit(out, ev, written);
                }
            }
        }
        if story_end && !ends_with_listen(out) {
            let last = events.len().saturating_sub(1) as u32;
            emit(out, Ev::Action(listen), Place::ListenAtEnd(last));
        }
    }
}

/// The hash of a state-trie node's (parent, state), as an `FxHashMap` keyed by the pair
/// would hash it.
fn node_hash(parent: u32, state: u32) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one((parent, state))
}

/// A 128-bit hash of interned things (two Fx-style lanes), for keys whose collisions
/// would be wrong rather than slow.
#[derive(Clone, Copy)]
struct Hash128(u64, u64);

impl Default for Hash128 {
    fn default() -> Self {
        Hash128(0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344)
    }
}

impl Hash128 {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        self.1 = (self.1.rotate_left(7) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn add_bytes(&mut self, bytes: &[u8]) {
        self.add(bytes.len() as u64);
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn finish(self) -> u128 {
        let mix = |mut x: u64| {
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            x ^ (x >> 31)
        };
        (u128::from(mix(self.0)) << 64) | u128::from(mix(self.1 ^ self.0.rotate_left(32)))
    }
}

/// Feeds a JSON value's structure to a hasher (equal values, equal hashes; key order
/// counts, as it does for the values' identity here).
fn hash_value(value: &Value, h: &mut Hash128) {
    match value {
        Value::Null => h.add(1),
        Value::Bool(b) => h.add(2 + u64::from(*b)),
        Value::Number(n) => {
            h.add(4);
            h.add_bytes(n.to_string().as_bytes());
        }
        Value::String(s) => {
            h.add(5);
            h.add_bytes(s.as_bytes());
        }
        Value::Array(items) => {
            h.add(6);
            h.add(items.len() as u64);
            for item in items {
                hash_value(item, h);
            }
        }
        Value::Object(map) => {
            h.add(7);
            h.add(map.len() as u64);
            for (k, v) in map {
                h.add_bytes(k.as_bytes());
                hash_value(v, h);
            }
        }
    }
}

/// `_first_loop_execution_or_unhappy_path`: whether a run of `form` is its first since
/// the loop was deactivated, or follows a rejection of it, or a user turn after which
/// another action ran.
fn first_run_or_unhappy_path(form: u32, applied: &[Ev]) -> bool {
    let mut next_action = None;
    for &e in applied.iter().rev() {
        match e {
            Ev::Form(NONE) => return true,
            Ev::Reject(name) if name == form => return true,
            Ev::User(_) if next_action.is_some_and(|a| a != form) => return true,
            Ev::Action(a) if a == form => return false,
            Ev::Action(a) => next_action = Some(a),
            _ => {}
        }
    }
    true
}

/// `_undo_till_previous_loop_execution`: drops the actions and user turns after the
/// loop's latest run (all of them when it has none), keeping the other events.
fn undo_till_previous_run(form: u32, applied: &mut Vec<Ev>) {
    let last_run = applied.iter().rposition(|&e| e == Ev::Action(form));
    let from = last_run.map_or(0, |i| i + 1);
    let mut index = 0;
    applied.retain(|e| {
        index += 1;
        index <= from || !matches!(e, Ev::Action(_) | Ev::User(_))
    });
}

/// `DialogueStateTracker.applied_events`: the events without those reverted.
fn applied_events(events: &[Ev]) -> Vec<Ev> {
    fn undo_till(applied: &mut Vec<Ev>, user: bool) {
        while let Some(e) = applied.pop() {
            let hit = if user {
                matches!(e, Ev::User(_))
            } else {
                matches!(e, Ev::Action(_))
            };
            if hit {
                break;
            }
        }
    }
    let mut applied = Vec::new();
    for &e in events {
        match e {
            Ev::Restart | Ev::SessionStarted => applied.clear(),
            Ev::Undo => undo_till(&mut applied, false),
            Ev::Rewind => {
                undo_till(&mut applied, true);
                undo_till(&mut applied, false);
            }
            other => applied.push(other),
        }
    }
    applied
}
