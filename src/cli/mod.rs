//! Everything that touches the terminal: arguments, commands, output formats.

pub mod render;
