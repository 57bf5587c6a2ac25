//! What rasalint read from a Rasa 2/3 bot, in the JSON shape of the Rasa 3.6 / 2.8 oracle
//! (`../shared/tools/rasa3-oracle/dump.py`): per file its kind, Rasa's classification
//! tests, and what the NLU, stories and domain readers made of it.

use serde_json::{Value, json};

use crate::model::Project;
use crate::source::FileId;

/// The oracle's entry for one file, `None` for files it leaves out.
pub fn dump_file(project: &Project, file: FileId) -> Option<Value> {
    let parts = &project.parts[file.index()];
    if let Some(domain) = parts.domain.as_deref() {
        if let Some(member) = &domain.folder
            && !member.is_read_by(project.rasa.version)
        {
            // Rasa's folder walk passes it over: a YAML error is reported (it stops a
            // direct load), anything else is no domain.
            return Some(if member.yaml_error {
                json!({"kind": "domain", "error": "YamlSyntaxException: Failed to read the file."})
            } else {
                other_than_data()
            });
        }
        let mut entry = json!({"kind": "domain"});
        match super::yaml_domain::dump_domain(project, file, domain) {
            Ok(read) => entry["domain"] = read,
            Err(error) => entry["error"] = json!(error),
        }
        return Some(entry);
    }
    if let Some(unreadable) = &parts.unreadable {
        // Rasa stops at a file it cannot decode, whatever it would have read it as.
        let path = &project.files[file.index()].disk_path;
        return crate::discover::is_yaml(path)
            .then(|| json!({"kind": "other", "error": unreadable.reason}));
    }
    let Some(data) = parts.yaml.as_deref() else {
        return no_domain_in_folder(project, file, parts);
    };
    if let Some(crash) = &data.crash {
        // Rasa's own tests of what the file is (dump.py's classification) crash with it.
        return Some(json!({"kind": "other", "error": crash}));
    }
    let text = &project.files[file.index()].text;
    let has_key = |key| crate::syntax::yaml_data::is_key_in_yaml(text, &[key]);
    let markdown = parts.rasa2_markdown(project.rasa.version);
    let kind = if data.is_test_stories {
        "test_stories"
    } else if data.is_stories && has_key("stories") {
        "stories"
    } else if data.is_stories {
        "rules"
    } else if let Some(markdown) = markdown {
        if markdown.nlu.is_some() {
            "nlu"
        } else {
            "responses"
        }
    } else if data.has_nlu_key {
        "nlu"
    } else if data.is_nlu {
        "responses"
    } else {
        "other"
    };
    let is_nlu = data.is_nlu || markdown.is_some();
    let mut entry = json!({
        "kind": kind,
        "is": {"nlu": is_nlu, "stories": data.is_stories, "test_stories": data.is_test_stories, "domain": false},
    });
    if let Some(markdown) = markdown {
        // Rasa 2.8 reads the NLU of the file as Markdown: no YAML error stops that.
        let nlu = super::yaml_nlu::dump_nlu(markdown.nlu.as_ref(), markdown.responses.as_ref());
        entry["nlu"] = nlu;
    }
    let yaml_read = markdown.is_none() || data.is_stories;
    if let Some(error) = data.rasa_error.as_ref().filter(|_| yaml_read) {
        entry["error"] = json!(error);
    }
    // The loading pass's refusals come after the schema's, before the version skip.
    let late = data.late_error.as_ref();
    let nlu_error = parts
        .nlu
        .as_ref()
        .and_then(|n| n.rasa_error.as_ref())
        .or(late);
    if data.is_nlu && markdown.is_none() && data.rasa_error.is_none() {
        match nlu_error {
            Some(error) => entry["error"] = json!(error),
            // A file whose `version:` is newer than the release reads is read as empty.
            None if parts.skipped_by(project.rasa.version) => {
                entry["nlu"] = super::yaml_nlu::dump_nlu(None, None);
            }
            None => {
                entry["nlu"] =
                    super::yaml_nlu::dump_nlu(parts.nlu.as_ref(), parts.responses.as_ref());
            }
        }
        let path = project.files[file.index()]
            .path
            .to_string_lossy()
            .replace('\\', "/");
        let warnings = parts
            .nlu
            .as_ref()
            .map(|nlu| super::yaml_nlu::nlu_warnings(&path, text, nlu))
            .unwrap_or_default();
        if !warnings.is_empty() && nlu_error.is_none() {
            entry["warnings"] = json!(warnings);
        }
    }
    if data.is_stories && data.rasa_error.is_none() {
        let version = data.version.as_ref().map(|v| v.name.as_str());
        match super::yaml_stories::dump_stories(project, parts.stories.as_ref(), version) {
            Ok(_) if late.is_some() => entry["error"] = json!(late),
            Ok(stories) => entry["stories"] = stories,
            Err(error) => entry["error"] = json!(error),
        }
    }
    if kind != "responses" && kind != "other" {
        add_domain_of_data(project, file, &mut entry);
    }
    Some(entry)
}

/// A YAML file of a domain folder that is no domain file to any Rasa version (comments
/// only, empty, other keys) is the only YAML file read for nothing: dump.py lists it as
/// `other`, its classification tests all false. One that Rasa's line tests would take for
/// training data is left out, as before (a data file in a domain folder outside the data
/// paths is not read as data here).
fn no_domain_in_folder(
    project: &Project,
    file: FileId,
    parts: &crate::model::FileParts,
) -> Option<Value> {
    let path = &project.files[file.index()].disk_path;
    let read_for_nothing = parts.kind().is_none()
        && parts.domain.is_none()
        && parts.config.is_none()
        && parts.action_code.is_none();
    if !read_for_nothing || !crate::discover::is_yaml(path) {
        return None;
    }
    let text = &project.files[file.index()].text;
    let data_keys = ["nlu", "responses", "stories", "rules"];
    if crate::syntax::yaml_data::is_key_in_yaml(text, &data_keys) {
        return None;
    }
    Some(other_than_data())
}

/// dump.py's entry for a file that is neither training data nor a domain file.
fn other_than_data() -> Value {
    json!({
        "kind": "other",
        "is": {"nlu": false, "stories": false, "test_stories": false, "domain": false},
    })
}

/// dump.py also reads a data file as a domain (`Domain.load(file)`, as Rasa would if
/// the file were named with `--domain`) when it passes Rasa's domain-file test and has a
/// top-level key besides `responses` and `version`.
fn add_domain_of_data(project: &Project, file: FileId, entry: &mut Value) {
    let text = &project.files[file.index()].text;
    let (domain, problems) = crate::syntax::domain::parse_domain(file, text);
    let version = project.rasa.version;
    let keys: Vec<&str> = domain
        .top_level_keys
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    let domain_keys = crate::syntax::domain::DOMAIN_KEYS;
    let counted = match version {
        crate::rasa::RasaVersion::V3 => domain_keys,
        _ => &domain_keys[..domain_keys.len() - 1],
    };
    let is_domain = problems.is_empty() && keys.iter().any(|k| counted.contains(k));
    let beyond_responses = keys.iter().any(|k| *k != "responses" && *k != "version");
    if !is_domain || !beyond_responses {
        return;
    }
    entry["is"]["domain"] = json!(true);
    match super::yaml_domain::dump_domain(project, file, &domain) {
        Ok(read) => entry["domain"] = read,
        Err(error) => entry["error"] = json!(error),
    }
}
