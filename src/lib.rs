//! rasalint: a linter and dataset validator for Rasa 1.x Markdown training data.
//!
//! The library reads a bot (discover → parse → model), runs the rules over the immutable
//! model and returns sorted findings. It never prints and never exits: `src/cli` does that.

pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod dump;
pub mod engine;
pub mod layout;
pub mod load;
pub mod model;
pub mod rule;
pub mod rules;
pub mod source;
pub mod syntax;
