//! One file per rule; the file name is the rule name.

pub mod ambiguous_file_kind;
pub mod backtick_in_story;
pub mod e2e_turn_in_training_story;
pub mod empty_section;
pub mod invalid_json;
pub mod invalid_story_line;
pub mod malformed_entity_annotation;
pub mod misplaced_header;
pub mod tab_character;
pub mod text_outside_section;
pub mod unknown_event;
pub mod unknown_nlu_section;
pub mod unreadable_file;
pub mod unterminated_comment;
pub mod yaml_syntax_error;
