//! One file per rule; the file name is the rule name.

pub mod yaml_syntax_error;
