//! Input → syntax trees, one module per file format. Parsers never abort: a broken line is
//! a [`problem::Problem`] and parsing goes on. Every node carries a byte span into its source.

pub mod action_code;
pub mod button_payload;
pub mod comments;
pub mod config;
pub mod domain;
pub mod domain_refusals;
pub mod domain_schema;
pub mod domain_schema_yaml;
pub mod entities;
pub mod find;
pub mod json_span;
pub mod nlu;
pub mod problem;
pub mod python;
pub mod python_regex;
pub mod rasa_steps;
pub mod responses;
pub mod schema;
pub mod stories;
pub mod stories_schema;
pub mod user_text;
pub mod yaml;
pub mod yaml_data;
pub mod yaml_env;
pub mod yaml_escapes;
pub mod yaml_layer;
pub mod yaml_nlu;
pub mod yaml_scalar;
pub mod yaml_schema;
pub mod yaml_stories;
