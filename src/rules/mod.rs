//! One file per rule; the file name is the rule name.

use crate::rule::Rule;

pub mod ambiguous_file_kind;
pub mod backtick_in_story;
pub mod blank_line_between_blocks;
pub mod button_payload_unknown;
pub mod categorical_null_value;
pub mod checkpoint_never_consumed;
pub mod checkpoint_never_produced;
pub mod conflicting_synonym;
pub mod consecutive_user_turns;
pub mod crlf_line_ending;
pub mod data_file_not_read;
pub mod deprecated_deactivate_form;
pub mod deprecated_domain_syntax;
pub mod deprecated_entity_synonym_syntax;
pub mod deprecated_markdown_data;
pub mod deprecated_templates_key;
pub mod domain_intent_without_examples;
pub mod duplicate_domain_entry;
pub mod duplicate_example_across_intents;
pub mod duplicate_example_in_intent;
pub mod duplicate_story_name;
pub mod e2e_turn_in_training_story;
pub mod empty_domain;
pub mod empty_section;
pub mod empty_story;
pub mod entity_never_annotated;
pub mod entity_not_in_domain;
pub mod entity_span_whitespace;
pub mod entity_used_and_ignored;
pub mod folded_examples_block;
pub mod form_never_deactivated;
pub mod form_slot_not_in_domain;
pub mod header_spacing;
pub mod inconsistent_entity_annotation;
pub mod inconsistent_indentation;
pub mod inconsistent_list_marker;
pub mod intent_imbalance;
pub mod intent_not_in_stories;
pub mod intent_uses_unknown_entity;
pub mod internal_error;
pub mod invalid_intent_name;
pub mod invalid_json;
pub mod invalid_regex;
pub mod invalid_response;
pub mod invalid_slot_definition;
pub mod invalid_story_line;
pub mod lookup_file_missing;
pub mod lowercase_or;
pub mod malformed_entity_annotation;
pub mod misplaced_header;
pub mod misread_story_step;
pub mod missing_final_newline;
pub mod missing_session_config;
pub mod near_duplicate_across_intents;
pub mod nlu_intent_not_in_domain;
pub mod outdated_format_version;
pub mod response_name_without_utter_prefix;
pub mod response_not_in_actions;
pub mod response_placeholder_not_a_slot;
pub mod response_without_retrieval_examples;
pub mod retrieval_intent_without_responses;
pub mod role_or_group_not_in_domain;
pub mod slot_mapping_unknown_name;
pub mod slot_value_mismatch;
pub mod story_action_not_in_domain;
pub mod story_form_not_in_domain;
pub mod story_intent_not_in_domain;
pub mod story_slot_not_in_domain;
pub mod story_structure_conflict;
pub mod story_utter_not_in_domain;
pub mod story_without_user_turn;
pub mod support;
pub mod synonym_never_used;
pub mod tab_character;
pub mod text_outside_section;
pub mod too_few_examples;
pub mod trailing_whitespace;
pub mod unknown_domain_key;
pub mod unknown_event;
pub mod unknown_nlu_section;
pub mod unreadable_file;
pub mod unterminated_comment;
pub mod unused_response;
pub mod unused_suppression;
pub mod utter_action_without_response;
pub mod yaml_boolean_trap;
pub mod yaml_safe_edits;
pub mod yaml_syntax_error;
pub mod yaml_text_rewritten;

/// Every rule, in code order.
pub static ALL: &[&dyn Rule] = &[
    &unreadable_file::UnreadableFile,
    &yaml_syntax_error::YamlSyntaxError,
    &unknown_nlu_section::UnknownNluSection,
    &text_outside_section::TextOutsideSection,
    &malformed_entity_annotation::MalformedEntityAnnotation,
    &invalid_story_line::InvalidStoryLine,
    &invalid_json::InvalidJson,
    &unknown_event::UnknownEvent,
    &unterminated_comment::UnterminatedComment,
    &misplaced_header::MisplacedHeader,
    &ambiguous_file_kind::AmbiguousFileKind,
    &empty_section::EmptySection,
    &backtick_in_story::BacktickInStory,
    &e2e_turn_in_training_story::E2eTurnInTrainingStory,
    &tab_character::TabCharacter,
    &data_file_not_read::DataFileNotRead,
    &folded_examples_block::FoldedExamplesBlock,
    &invalid_intent_name::InvalidIntentName,
    &misread_story_step::MisreadStoryStep,
    &yaml_text_rewritten::YamlTextRewritten,
    &outdated_format_version::OutdatedFormatVersion,
    &deprecated_markdown_data::DeprecatedMarkdownData,
    &nlu_intent_not_in_domain::NluIntentNotInDomain,
    &domain_intent_without_examples::DomainIntentWithoutExamples,
    &story_intent_not_in_domain::StoryIntentNotInDomain,
    &intent_not_in_stories::IntentNotInStories,
    &utter_action_without_response::UtterActionWithoutResponse,
    &response_not_in_actions::ResponseNotInActions,
    &story_utter_not_in_domain::StoryUtterNotInDomain,
    &unused_response::UnusedResponse,
    &story_action_not_in_domain::StoryActionNotInDomain,
    &story_form_not_in_domain::StoryFormNotInDomain,
    &story_slot_not_in_domain::StorySlotNotInDomain,
    &entity_not_in_domain::EntityNotInDomain,
    &entity_never_annotated::EntityNeverAnnotated,
    &form_slot_not_in_domain::FormSlotNotInDomain,
    &retrieval_intent_without_responses::RetrievalIntentWithoutResponses,
    &response_without_retrieval_examples::ResponseWithoutRetrievalExamples,
    &checkpoint_never_produced::CheckpointNeverProduced,
    &checkpoint_never_consumed::CheckpointNeverConsumed,
    &role_or_group_not_in_domain::RoleOrGroupNotInDomain,
    &response_placeholder_not_a_slot::ResponsePlaceholderNotASlot,
    &button_payload_unknown::ButtonPayloadUnknown,
    &lookup_file_missing::LookupFileMissing,
    &synonym_never_used::SynonymNeverUsed,
    &duplicate_example_across_intents::DuplicateExampleAcrossIntents,
    &duplicate_example_in_intent::DuplicateExampleInIntent,
    &near_duplicate_across_intents::NearDuplicateAcrossIntents,
    &too_few_examples::TooFewExamples,
    &conflicting_synonym::ConflictingSynonym,
    &invalid_regex::InvalidRegex,
    &entity_span_whitespace::EntitySpanWhitespace,
    &deprecated_entity_synonym_syntax::DeprecatedEntitySynonymSyntax,
    &intent_imbalance::IntentImbalance,
    &inconsistent_entity_annotation::InconsistentEntityAnnotation,
    &story_structure_conflict::StoryStructureConflict,
    &duplicate_story_name::DuplicateStoryName,
    &empty_story::EmptyStory,
    &story_without_user_turn::StoryWithoutUserTurn,
    &lowercase_or::LowercaseOr,
    &slot_value_mismatch::SlotValueMismatch,
    &consecutive_user_turns::ConsecutiveUserTurns,
    &form_never_deactivated::FormNeverDeactivated,
    &deprecated_deactivate_form::DeprecatedDeactivateForm,
    &duplicate_domain_entry::DuplicateDomainEntry,
    &unknown_domain_key::UnknownDomainKey,
    &invalid_slot_definition::InvalidSlotDefinition,
    &invalid_response::InvalidResponse,
    &deprecated_templates_key::DeprecatedTemplatesKey,
    &missing_session_config::MissingSessionConfig,
    &yaml_boolean_trap::YamlBooleanTrap,
    &response_name_without_utter_prefix::ResponseNameWithoutUtterPrefix,
    &empty_domain::EmptyDomain,
    &intent_uses_unknown_entity::IntentUsesUnknownEntity,
    &slot_mapping_unknown_name::SlotMappingUnknownName,
    &categorical_null_value::CategoricalNullValue,
    &entity_used_and_ignored::EntityUsedAndIgnored,
    &deprecated_domain_syntax::DeprecatedDomainSyntax,
    &trailing_whitespace::TrailingWhitespace,
    &inconsistent_list_marker::InconsistentListMarker,
    &inconsistent_indentation::InconsistentIndentation,
    &missing_final_newline::MissingFinalNewline,
    &blank_line_between_blocks::BlankLineBetweenBlocks,
    &crlf_line_ending::CrlfLineEnding,
    &header_spacing::HeaderSpacing,
    &unused_suppression::UnusedSuppression,
    &internal_error::InternalError,
];

/// The rule a reader's problem belongs to: the one place where syntax problems meet the
/// rule catalogue, so the readers import no rule.
pub fn rule_of(kind: crate::syntax::problem::ProblemKind) -> &'static crate::rule::RuleMeta {
    use crate::syntax::problem::ProblemKind as K;
    match kind {
        K::UnreadableFile => &unreadable_file::UnreadableFile::META,
        K::YamlSyntax | K::YamlSchema => &yaml_syntax_error::YamlSyntaxError::META,
        K::UnknownNluSection => &unknown_nlu_section::UnknownNluSection::META,
        K::TextOutsideSection => &text_outside_section::TextOutsideSection::META,
        K::MalformedEntityAnnotation => {
            &malformed_entity_annotation::MalformedEntityAnnotation::META
        }
        K::InvalidStoryLine => &invalid_story_line::InvalidStoryLine::META,
        K::InvalidJson => &invalid_json::InvalidJson::META,
        K::UnknownEvent => &unknown_event::UnknownEvent::META,
        K::UnterminatedComment => &unterminated_comment::UnterminatedComment::META,
        K::MisplacedHeader => &misplaced_header::MisplacedHeader::META,
        K::EmptySection => &empty_section::EmptySection::META,
        K::BacktickInStory => &backtick_in_story::BacktickInStory::META,
        K::E2eTurnInTrainingStory => &e2e_turn_in_training_story::E2eTurnInTrainingStory::META,
        K::FoldedExamples => &folded_examples_block::FoldedExamplesBlock::META,
        K::InvalidIntentName => &invalid_intent_name::InvalidIntentName::META,
        // A YAML step Rasa refuses is a story line it rejects: the same rule.
        K::StoryRefused => &invalid_story_line::InvalidStoryLine::META,
        K::MisreadStoryStep => &misread_story_step::MisreadStoryStep::META,
        K::YamlTextRewritten => &yaml_text_rewritten::YamlTextRewritten::META,
    }
}
