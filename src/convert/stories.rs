//! Stories (`## story` / `* intent` / `  - action`) to Rasa 3 `stories:` YAML: every turn
//! and event, `OR` as `or:`, checkpoints, `slot{}` as `slot_was_set`, `form{}` as
//! `active_loop`, end-to-end turns as test stories.
