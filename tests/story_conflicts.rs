//! RL301's story-structure analysis against Rasa 1.10's own (`rasa data validate
//! stories`): the conflicts on the real bots of ../shared/corpora, with the same states
//! and the same story pairs.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rasalint::layout::{LayoutOptions, resolve};
use rasalint::story_graph::{Analysis, PreviousEvent, analyse};

/// Writes a Markdown bot: `domain.yml` and `data/stories.md`.
fn write_markdown_bot(dir: &Path, domain: &str, stories: &str) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("domain.yml"), domain).unwrap();
    std::fs::write(dir.join("data/stories.md"), stories).unwrap();
}

/// Rasa's analysis of a bot read with `--domain` and `--data`.
fn analyse_bot(dir: &Path, domain: &str, data: &str, max_history: Option<usize>) -> Analysis {
    let options = LayoutOptions {
        domain: vec![dir.join(domain)],
        data: vec![dir.join(data)],
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, dir).expect("layout");
    let (project, _) = rasalint::load::load(&layout.input);
    analyse(&project, max_history, usize::MAX)
}

/// A conflict's previous event as Rasa's `_get_previous_event` writes it.
fn after_text(after: &PreviousEvent) -> String {
    match after {
        PreviousEvent::Action(a) => format!("action '{a}'"),
        PreviousEvent::Intent(i) => format!("intent '{i}'"),
        PreviousEvent::UserText(t) => format!("user utterance '{t}'"),
        PreviousEvent::BotText(t) => format!("bot utterance '{t}'"),
    }
}

/// The analysis in the shape of the oracle script's output: `max_history`, `trackers`
/// and per conflict the previous event, the sliced states and each action's tracker
/// names (sorted).
fn as_oracle_json(analysis: &Analysis) -> serde_json::Value {
    let mut conflicts: Vec<serde_json::Value> = analysis
        .conflicts
        .iter()
        .map(|c| {
            let after = after_text(&c.after);
            let state: Vec<serde_json::Value> = c
                .window
                .iter()
                .map(|s| match s {
                    None => serde_json::Value::Null,
                    Some(features) => serde_json::json!(features),
                })
                .collect();
            let mut actions = serde_json::Map::new();
            for a in &c.actions {
                let mut names = a.trackers.clone();
                names.sort();
                actions.insert(a.action.clone(), serde_json::json!(names));
            }
            serde_json::json!({"after": after, "state": state, "actions": actions})
        })
        .collect();
    conflicts.sort_by_key(|c| c.to_string());
    serde_json::json!({
        "max_history": analysis.max_history,
        "trackers": analysis.trackers,
        "conflicts": conflicts,
        "cut": analysis.cut.as_ref().map(|c| c.message.clone()),
        "cycles": analysis.cycles,
    })
}

/// Prints the analysis of one bot (`RL301_BOT=dir RL301_DOMAIN=… RL301_DATA=…
/// [RL301_MH=n]`), or writes that of each line `dir max_history|- out.json` of the file
/// `RL301_LIST`, for comparing with Rasa by hand:
/// `cargo test --test story_conflicts dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump() {
    let var = |k: &str| std::env::var(k).ok();
    if let Some(list) = var("RL301_LIST") {
        let text = std::fs::read_to_string(list).expect("list");
        for line in text.lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [dir, mh, out] = parts[..] else { continue };
            let mh = mh.parse().ok();
            let analysis = analyse_bot(Path::new(dir), "domain.yml", "data", mh);
            let json = serde_json::to_string_pretty(&as_oracle_json(&analysis)).unwrap();
            std::fs::write(out, json).expect("write");
        }
        return;
    }
    let dir = PathBuf::from(var("RL301_BOT").expect("RL301_BOT"));
    let mh = var("RL301_MH").map(|m| m.parse().expect("a number"));
    let analysis = analyse_bot(
        &dir,
        &var("RL301_DOMAIN").expect("RL301_DOMAIN"),
        &var("RL301_DATA").expect("RL301_DATA"),
        mh,
    );
    let json = as_oracle_json(&analysis);
    println!("{}", serde_json::to_string_pretty(&json).unwrap());
}

/// A conflict as a canonical text: the previous event, the sliced states (`-` for
/// padding, features `key=value` sorted), each action with its sorted tracker names.
fn canonical(
    after: &str,
    window: &[Option<Vec<(String, f64)>>],
    actions: &[(String, Vec<String>)],
) -> String {
    let mut lines = vec![after.to_string()];
    for state in window {
        lines.push(match state {
            None => "-".to_string(),
            Some(features) => features
                .iter()
                .map(|(k, v)| format!("{k}={v:.6}"))
                .collect::<Vec<_>>()
                .join(";"),
        });
    }
    let mut actions = actions.to_vec();
    actions.sort();
    for (action, names) in actions {
        let mut names = names.clone();
        names.sort();
        lines.push(format!("{action}:{}", names.join("|")));
    }
    lines.join("\n")
}

/// FNV-1a, 64 bits.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A conflict compared: previous event, actions with their tracker counts, digest.
type Summary = (String, Vec<(String, usize)>, u64);

type Expected = (
    &'static str,
    &'static str,
    &'static str,
    Option<usize>,
    usize,
    u64,
    &'static [(&'static str, &'static [(&'static str, usize)], u64)],
);

/// What Rasa 1.10.26 reports (`find_story_conflicts` over the trackers of `rasa data
/// validate stories`, with every tracker name): per bot of ../shared/corpora and
/// `max_history` (`None`: Rasa's default, the longest story), the `max_history` used,
/// the number of trackers, and each conflict's previous event, actions with their
/// number of trackers, and a digest of its canonical text (states and tracker names
/// included). Made with `../shared/tools/rasa-oracle` and Rasa's `story_conflict.py`.
const EXPECTED: &[Expected] = &[
    (
        "rasa-init-1.10.26",
        "rasa-init-1.10.26/domain.yml",
        "rasa-init-1.10.26/data",
        None,
        9,
        5,
        &[],
    ),
    (
        "rasa-init-1.10.26",
        "rasa-init-1.10.26/domain.yml",
        "rasa-init-1.10.26/data",
        Some(1),
        1,
        5,
        &[],
    ),
    (
        "rasa-init-1.10.26",
        "rasa-init-1.10.26/domain.yml",
        "rasa-init-1.10.26/data",
        Some(2),
        2,
        5,
        &[],
    ),
    (
        "rasa-init-1.10.26",
        "rasa-init-1.10.26/domain.yml",
        "rasa-init-1.10.26/data",
        Some(3),
        3,
        5,
        &[],
    ),
    (
        "rasa-init-1.10.26",
        "rasa-init-1.10.26/domain.yml",
        "rasa-init-1.10.26/data",
        Some(5),
        5,
        5,
        &[],
    ),
    (
        "tais",
        "tais/coach/domain.yml",
        "tais/coach/data",
        None,
        15,
        176,
        &[(
            "action 'utter_cumprimentar'",
            &[("action_listen", 10), ("utter_menu", 2)],
            0xa629f2371143a350,
        )],
    ),
    (
        "tais",
        "tais/coach/domain.yml",
        "tais/coach/data",
        Some(1),
        1,
        176,
        &[
            (
                "action 'utter_cumprimentar'",
                &[("action_listen", 10), ("utter_menu", 2)],
                0xfa829e7a3084c521,
            ),
            (
                "intent 'afirmar'",
                &[
                    ("utter_cadastro_salic_video", 17),
                    ("utter_continuar_conversa", 1),
                    ("utter_processo_como_funciona", 20),
                    ("utter_salic_cadastro_usuario", 8),
                ],
                0xa974a50022cf094e,
            ),
            (
                "intent 'negar'",
                &[
                    ("utter_continuar_conversa", 15),
                    ("utter_despedir", 1),
                    ("utter_salic_cadastro_proponente", 10),
                ],
                0xe84b33274a11cc4f,
            ),
        ],
    ),
    (
        "tais",
        "tais/coach/domain.yml",
        "tais/coach/data",
        Some(2),
        2,
        176,
        &[
            (
                "action 'utter_cumprimentar'",
                &[("action_listen", 10), ("utter_menu", 2)],
                0x300f9957796982a8,
            ),
            (
                "intent 'negar'",
                &[
                    ("utter_continuar_conversa", 6),
                    ("utter_salic_cadastro_proponente", 1),
                ],
                0xa8a7c35540e6d3fa,
            ),
        ],
    ),
    (
        "tais",
        "tais/coach/domain.yml",
        "tais/coach/data",
        Some(3),
        3,
        176,
        &[
            (
                "action 'utter_cumprimentar'",
                &[("action_listen", 10), ("utter_menu", 2)],
                0x927e91a0db844298,
            ),
            (
                "intent 'negar'",
                &[
                    ("utter_continuar_conversa", 6),
                    ("utter_salic_cadastro_proponente", 1),
                ],
                0xf4dddf99813d386a,
            ),
        ],
    ),
    (
        "tais",
        "tais/coach/domain.yml",
        "tais/coach/data",
        Some(5),
        5,
        176,
        &[(
            "action 'utter_cumprimentar'",
            &[("action_listen", 10), ("utter_menu", 2)],
            0x823b28b9f3e2f9dc,
        )],
    ),
    (
        "ptbr-boilerplate",
        "ptbr-boilerplate/bot/domain.yml",
        "ptbr-boilerplate/bot/data",
        None,
        13,
        53,
        &[],
    ),
    (
        "ptbr-boilerplate",
        "ptbr-boilerplate/bot/domain.yml",
        "ptbr-boilerplate/bot/data",
        Some(1),
        1,
        53,
        &[(
            "intent 'negar'",
            &[("utter_despedir", 2), ("utter_finaliza_forms", 1)],
            0x008dae0a72187ced,
        )],
    ),
    (
        "ptbr-boilerplate",
        "ptbr-boilerplate/bot/domain.yml",
        "ptbr-boilerplate/bot/data",
        Some(2),
        2,
        53,
        &[],
    ),
    (
        "ptbr-boilerplate",
        "ptbr-boilerplate/bot/domain.yml",
        "ptbr-boilerplate/bot/data",
        Some(3),
        3,
        53,
        &[],
    ),
    (
        "ptbr-boilerplate",
        "ptbr-boilerplate/bot/domain.yml",
        "ptbr-boilerplate/bot/data",
        Some(5),
        5,
        53,
        &[],
    ),
    (
        "moodbot",
        "rasa-examples-1.7/examples/moodbot/domain.yml",
        "rasa-examples-1.7/examples/moodbot/data",
        None,
        9,
        5,
        &[],
    ),
    (
        "moodbot",
        "rasa-examples-1.7/examples/moodbot/domain.yml",
        "rasa-examples-1.7/examples/moodbot/data",
        Some(1),
        1,
        5,
        &[],
    ),
    (
        "moodbot",
        "rasa-examples-1.7/examples/moodbot/domain.yml",
        "rasa-examples-1.7/examples/moodbot/data",
        Some(2),
        2,
        5,
        &[],
    ),
    (
        "moodbot",
        "rasa-examples-1.7/examples/moodbot/domain.yml",
        "rasa-examples-1.7/examples/moodbot/data",
        Some(3),
        3,
        5,
        &[],
    ),
    (
        "moodbot",
        "rasa-examples-1.7/examples/moodbot/domain.yml",
        "rasa-examples-1.7/examples/moodbot/data",
        Some(5),
        5,
        5,
        &[],
    ),
    (
        "formbot",
        "rasa-examples-1.7/examples/formbot/domain.yml",
        "rasa-examples-1.7/examples/formbot/data",
        None,
        19,
        11,
        &[],
    ),
    (
        "formbot",
        "rasa-examples-1.7/examples/formbot/domain.yml",
        "rasa-examples-1.7/examples/formbot/data",
        Some(1),
        1,
        11,
        &[],
    ),
    (
        "formbot",
        "rasa-examples-1.7/examples/formbot/domain.yml",
        "rasa-examples-1.7/examples/formbot/data",
        Some(2),
        2,
        11,
        &[],
    ),
    (
        "formbot",
        "rasa-examples-1.7/examples/formbot/domain.yml",
        "rasa-examples-1.7/examples/formbot/data",
        Some(3),
        3,
        11,
        &[],
    ),
    (
        "formbot",
        "rasa-examples-1.7/examples/formbot/domain.yml",
        "rasa-examples-1.7/examples/formbot/data",
        Some(5),
        5,
        11,
        &[],
    ),
    (
        "restaurantbot",
        "rasa-examples-1.7/examples/restaurantbot/domain.yml",
        "rasa-examples-1.7/examples/restaurantbot/data",
        None,
        42,
        714,
        &[(
            "intent 'thankyou'",
            &[("action_listen", 1), ("utter_goodbye", 1)],
            0xa06015c3eb1485a3,
        )],
    ),
    (
        "restaurantbot",
        "rasa-examples-1.7/examples/restaurantbot/domain.yml",
        "rasa-examples-1.7/examples/restaurantbot/data",
        Some(1),
        1,
        714,
        &[
            (
                "intent 'deny'",
                &[
                    ("utter_ack_dosearch", 714),
                    ("utter_ack_findalternatives", 1002),
                ],
                0x6c5a5d2062f3c03c,
            ),
            (
                "intent 'thankyou'",
                &[("action_listen", 1), ("utter_goodbye", 713)],
                0x262b279d319718ad,
            ),
        ],
    ),
    (
        "restaurantbot",
        "rasa-examples-1.7/examples/restaurantbot/domain.yml",
        "rasa-examples-1.7/examples/restaurantbot/data",
        Some(2),
        2,
        714,
        &[(
            "intent 'thankyou'",
            &[("action_listen", 1), ("utter_goodbye", 713)],
            0x3867adae8ec12662,
        )],
    ),
    (
        "restaurantbot",
        "rasa-examples-1.7/examples/restaurantbot/domain.yml",
        "rasa-examples-1.7/examples/restaurantbot/data",
        Some(3),
        3,
        714,
        &[(
            "intent 'thankyou'",
            &[("action_listen", 1), ("utter_goodbye", 713)],
            0xe54611ae015bbde8,
        )],
    ),
    (
        "restaurantbot",
        "rasa-examples-1.7/examples/restaurantbot/domain.yml",
        "rasa-examples-1.7/examples/restaurantbot/data",
        Some(5),
        5,
        714,
        &[(
            "intent 'thankyou'",
            &[("action_listen", 1), ("utter_goodbye", 520)],
            0x665f0a9468bb1c45,
        )],
    ),
    (
        "knowledgebasebot",
        "rasa-examples-1.7/examples/knowledgebasebot/domain.yml",
        "rasa-examples-1.7/examples/knowledgebasebot/data",
        None,
        10,
        6,
        &[],
    ),
    (
        "knowledgebasebot",
        "rasa-examples-1.7/examples/knowledgebasebot/domain.yml",
        "rasa-examples-1.7/examples/knowledgebasebot/data",
        Some(1),
        1,
        6,
        &[],
    ),
    (
        "knowledgebasebot",
        "rasa-examples-1.7/examples/knowledgebasebot/domain.yml",
        "rasa-examples-1.7/examples/knowledgebasebot/data",
        Some(2),
        2,
        6,
        &[],
    ),
    (
        "knowledgebasebot",
        "rasa-examples-1.7/examples/knowledgebasebot/domain.yml",
        "rasa-examples-1.7/examples/knowledgebasebot/data",
        Some(3),
        3,
        6,
        &[],
    ),
    (
        "knowledgebasebot",
        "rasa-examples-1.7/examples/knowledgebasebot/domain.yml",
        "rasa-examples-1.7/examples/knowledgebasebot/data",
        Some(5),
        5,
        6,
        &[],
    ),
    (
        "concertbot",
        "rasa-examples-1.7/examples/concertbot/domain.yml",
        "rasa-examples-1.7/examples/concertbot/data",
        None,
        6,
        8,
        &[],
    ),
    (
        "concertbot",
        "rasa-examples-1.7/examples/concertbot/domain.yml",
        "rasa-examples-1.7/examples/concertbot/data",
        Some(1),
        1,
        8,
        &[],
    ),
    (
        "concertbot",
        "rasa-examples-1.7/examples/concertbot/domain.yml",
        "rasa-examples-1.7/examples/concertbot/data",
        Some(2),
        2,
        8,
        &[],
    ),
    (
        "concertbot",
        "rasa-examples-1.7/examples/concertbot/domain.yml",
        "rasa-examples-1.7/examples/concertbot/data",
        Some(3),
        3,
        8,
        &[],
    ),
    (
        "concertbot",
        "rasa-examples-1.7/examples/concertbot/domain.yml",
        "rasa-examples-1.7/examples/concertbot/data",
        Some(5),
        5,
        8,
        &[],
    ),
    (
        "test_multi_domain",
        "rasa-testdata-1.7/data/test_multi_domain/domain.yml",
        "rasa-testdata-1.7/data/test_multi_domain/data",
        None,
        9,
        5,
        &[],
    ),
    (
        "test_multi_domain",
        "rasa-testdata-1.7/data/test_multi_domain/domain.yml",
        "rasa-testdata-1.7/data/test_multi_domain/data",
        Some(1),
        1,
        5,
        &[(
            "intent 'mood_unhappy'",
            &[("action_listen", 2), ("utter_did_that_help", 2)],
            0x5a640aba4c0f1740,
        )],
    ),
    (
        "test_multi_domain",
        "rasa-testdata-1.7/data/test_multi_domain/domain.yml",
        "rasa-testdata-1.7/data/test_multi_domain/data",
        Some(2),
        2,
        5,
        &[],
    ),
    (
        "test_multi_domain",
        "rasa-testdata-1.7/data/test_multi_domain/domain.yml",
        "rasa-testdata-1.7/data/test_multi_domain/data",
        Some(3),
        3,
        5,
        &[],
    ),
    (
        "test_multi_domain",
        "rasa-testdata-1.7/data/test_multi_domain/domain.yml",
        "rasa-testdata-1.7/data/test_multi_domain/data",
        Some(5),
        5,
        5,
        &[],
    ),
    (
        "financial-demo",
        "financial-demo/domain.yml",
        "financial-demo/data",
        None,
        13,
        43,
        &[],
    ),
    (
        "financial-demo",
        "financial-demo/domain.yml",
        "financial-demo/data",
        Some(1),
        1,
        43,
        &[
            (
                "action 'cc_payment_form'",
                &[("action_listen", 4), ("utter_ask_back_to_transfer", 2)],
                0xbe0fe812e27ca711,
            ),
            (
                "action 'transfer_form'",
                &[("action_listen", 1), ("utter_ask_back_to_transact", 4)],
                0x5203db1762b6c09f,
            ),
            (
                "intent 'affirm'",
                &[
                    ("transact_search_form", 2),
                    ("transfer_form", 1),
                    ("utter_ok", 2),
                ],
                0x80b0a1bc94b232be,
            ),
            (
                "intent 'deny'",
                &[("utter_ask_whatelse", 1), ("utter_ok", 3)],
                0xbfbf88512b8dd436,
            ),
        ],
    ),
    (
        "financial-demo",
        "financial-demo/domain.yml",
        "financial-demo/data",
        Some(2),
        2,
        43,
        &[],
    ),
    (
        "financial-demo",
        "financial-demo/domain.yml",
        "financial-demo/data",
        Some(3),
        3,
        43,
        &[],
    ),
    (
        "financial-demo",
        "financial-demo/domain.yml",
        "financial-demo/data",
        Some(5),
        5,
        43,
        &[],
    ),
    (
        "familienlotse-de",
        "familienlotse-de/domain.yml",
        "familienlotse-de/data",
        None,
        18,
        47,
        &[],
    ),
    (
        "familienlotse-de",
        "familienlotse-de/domain.yml",
        "familienlotse-de/data",
        Some(1),
        1,
        47,
        &[
            (
                "action 'action_deactivate_form'",
                &[("utter_goodbye", 1), ("utter_im_here_4_u", 2)],
                0xdb138ccc99336804,
            ),
            (
                "action 'familydescription_form'",
                &[("action_listen", 2), ("utter_recommend_elterngeld", 4)],
                0x17be2d6213d9dad8,
            ),
            (
                "action 'utter_hope_helped'",
                &[("utter_im_here_4_u", 2), ("utter_telegram_offer", 6)],
                0xe5f1015e9475e5c7,
            ),
            (
                "intent 'affirm'",
                &[
                    ("elterngeldrequirements_form", 3),
                    ("familydescription_form", 8),
                    ("utter_confirm_happy", 2),
                    ("utter_elternzeit_reference", 2),
                    ("utter_hope_helped", 1),
                    ("utter_sorry", 3),
                    ("utter_telegram_code", 3),
                ],
                0xb76c5c900e627e1b,
            ),
            (
                "intent 'deny'",
                &[
                    ("utter_ask_elterngeld_furthertopic", 2),
                    ("utter_elterngeld_inform", 2),
                    ("utter_elternzeit_inform", 1),
                    ("utter_goodbye", 1),
                    ("utter_hope_helped", 8),
                    ("utter_im_here_4_u", 3),
                ],
                0x1826555176f78251,
            ),
            (
                "intent 'out_of_scope'",
                &[("utter_outofscope", 1), ("utter_sorry", 1)],
                0x6df1eb7f98cd6704,
            ),
        ],
    ),
    (
        "familienlotse-de",
        "familienlotse-de/domain.yml",
        "familienlotse-de/data",
        Some(2),
        2,
        47,
        &[(
            "action 'utter_hope_helped'",
            &[("utter_im_here_4_u", 2), ("utter_telegram_offer", 6)],
            0xb136e805d0ad13b9,
        )],
    ),
    (
        "familienlotse-de",
        "familienlotse-de/domain.yml",
        "familienlotse-de/data",
        Some(3),
        3,
        47,
        &[],
    ),
    (
        "familienlotse-de",
        "familienlotse-de/domain.yml",
        "familienlotse-de/data",
        Some(5),
        5,
        47,
        &[],
    ),
    (
        "chitchat-zh",
        "chitchat-zh/configs/domain.yml",
        "chitchat-zh/data",
        None,
        18,
        64,
        &[],
    ),
    (
        "chitchat-zh",
        "chitchat-zh/configs/domain.yml",
        "chitchat-zh/data",
        Some(1),
        1,
        64,
        &[
            (
                "action 'utter_chitchat'",
                &[("action_listen", 1), ("action_restart", 1)],
                0x5049860c01bc57c1,
            ),
            (
                "intent 'thanks'",
                &[("utter_answer_thanks", 21), ("utter_noworries", 17)],
                0x3d8faa48f50f13b7,
            ),
        ],
    ),
    (
        "chitchat-zh",
        "chitchat-zh/configs/domain.yml",
        "chitchat-zh/data",
        Some(2),
        2,
        64,
        &[
            (
                "action 'utter_chitchat'",
                &[("action_listen", 1), ("action_restart", 1)],
                0xc0a971fee58b804f,
            ),
            (
                "intent 'thanks'",
                &[("utter_answer_thanks", 1), ("utter_noworries", 1)],
                0xd489ebb956ea08e5,
            ),
        ],
    ),
    (
        "chitchat-zh",
        "chitchat-zh/configs/domain.yml",
        "chitchat-zh/data",
        Some(3),
        3,
        64,
        &[(
            "intent 'thanks'",
            &[("utter_answer_thanks", 1), ("utter_noworries", 1)],
            0x21c720b9225f86b3,
        )],
    ),
    (
        "chitchat-zh",
        "chitchat-zh/configs/domain.yml",
        "chitchat-zh/data",
        Some(5),
        5,
        64,
        &[],
    ),
    (
        "t_stories",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories.md",
        None,
        12,
        7,
        &[],
    ),
    (
        "t_stories",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories.md",
        Some(1),
        1,
        7,
        &[(
            "action 'utter_default'",
            &[("action_listen", 2), ("utter_greet", 1)],
            0x82b0563c9f0e019d,
        )],
    ),
    (
        "t_stories",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories.md",
        Some(2),
        2,
        7,
        &[(
            "action 'utter_default'",
            &[("action_listen", 2), ("utter_greet", 1)],
            0x1bcc37c1cbbb950b,
        )],
    ),
    (
        "t_stories",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories.md",
        Some(3),
        3,
        7,
        &[],
    ),
    (
        "t_babi",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_babi_small.md",
        None,
        33,
        8,
        &[],
    ),
    (
        "t_babi",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_babi_small.md",
        Some(1),
        1,
        8,
        &[
            (
                "intent 'deny'",
                &[
                    ("action_listen", 23),
                    ("action_search_restaurants", 8),
                    ("action_suggest", 23),
                ],
                0x9ce522fff06d1cef,
            ),
            (
                "intent 'deny'",
                &[
                    ("utter_ack_dosearch", 8),
                    ("utter_ack_findalternatives", 15),
                ],
                0xf499b6610f9f2466,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 2), ("utter_ask_numpeople", 2)],
                0x68e55c7fc505b6c1,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 1), ("utter_ask_location", 1)],
                0x1d5046471003bad9,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 13), ("utter_ask_location", 1)],
                0x6308732214e00f1f,
            ),
            (
                "intent 'inform'",
                &[
                    ("utter_ask_location", 2),
                    ("utter_ask_moreupdates", 10),
                    ("utter_on_it", 1),
                ],
                0x171bc8a094351782,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 2), ("utter_ask_cuisine", 2)],
                0xbb93a0870a05d50b,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 9), ("utter_ask_numpeople", 1)],
                0x84e0ffe2a311ed9b,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 2), ("utter_ask_cuisine", 2)],
                0xb491958d27e972d9,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 7), ("utter_ask_price", 1)],
                0xcd608dbfc0f94779,
            ),
        ],
    ),
    (
        "t_babi",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_babi_small.md",
        Some(2),
        2,
        8,
        &[
            (
                "intent 'deny'",
                &[("action_listen", 23), ("action_suggest", 8)],
                0x74311bb7bd32eaa1,
            ),
            (
                "intent 'deny'",
                &[("action_search_restaurants", 8), ("action_suggest", 15)],
                0xffb3691e95eab8cc,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 5), ("utter_ask_numpeople", 1)],
                0x1f4a6f33c150484c,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 12), ("utter_ask_location", 1)],
                0xeb0abeb46c5b756f,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 4), ("utter_ask_price", 1)],
                0x8e3da391bd9814eb,
            ),
        ],
    ),
    (
        "t_babi",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_babi_small.md",
        Some(3),
        3,
        8,
        &[
            (
                "intent 'deny'",
                &[("action_listen", 15), ("action_suggest", 8)],
                0xc9d07d9ac00c3be5,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 4), ("utter_ask_price", 1)],
                0x8477facab805fcd6,
            ),
        ],
    ),
    (
        "t_ckpt_or",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_checkpoint_after_or.md",
        None,
        6,
        2,
        &[],
    ),
    (
        "t_ckpt_or",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_checkpoint_after_or.md",
        Some(1),
        1,
        2,
        &[],
    ),
    (
        "t_ckpt_or",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_checkpoint_after_or.md",
        Some(2),
        2,
        2,
        &[],
    ),
    (
        "t_ckpt_or",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_checkpoint_after_or.md",
        Some(3),
        3,
        2,
        &[],
    ),
    (
        "t_defaultdomain",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_defaultdomain.md",
        None,
        8,
        3,
        &[],
    ),
    (
        "t_defaultdomain",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_defaultdomain.md",
        Some(1),
        1,
        3,
        &[],
    ),
    (
        "t_defaultdomain",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_defaultdomain.md",
        Some(2),
        2,
        3,
        &[],
    ),
    (
        "t_defaultdomain",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_defaultdomain.md",
        Some(3),
        3,
        3,
        &[],
    ),
    (
        "t_form",
        "rasa-testdata-1.7/data/test_domains/form.yml",
        "rasa-testdata-1.7/data/test_stories/stories_form.md",
        None,
        12,
        6,
        &[],
    ),
    (
        "t_form",
        "rasa-testdata-1.7/data/test_domains/form.yml",
        "rasa-testdata-1.7/data/test_stories/stories_form.md",
        Some(1),
        1,
        6,
        &[(
            "intent 'stop'",
            &[("some_form", 1), ("utter_ask_continue", 3)],
            0x700ea434326ffa03,
        )],
    ),
    (
        "t_form",
        "rasa-testdata-1.7/data/test_domains/form.yml",
        "rasa-testdata-1.7/data/test_stories/stories_form.md",
        Some(2),
        2,
        6,
        &[],
    ),
    (
        "t_form",
        "rasa-testdata-1.7/data/test_domains/form.yml",
        "rasa-testdata-1.7/data/test_stories/stories_form.md",
        Some(3),
        3,
        6,
        &[],
    ),
    (
        "t_restart",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_restart.md",
        None,
        5,
        2,
        &[],
    ),
    (
        "t_restart",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_restart.md",
        Some(1),
        1,
        2,
        &[],
    ),
    (
        "t_restart",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_restart.md",
        Some(2),
        2,
        2,
        &[],
    ),
    (
        "t_restart",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_restart.md",
        Some(3),
        3,
        2,
        &[],
    ),
    (
        "t_unfeat",
        "rasa-testdata-1.7/data/test_domains/default_unfeaturized_entities.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unfeaturized_entities.md",
        None,
        14,
        2,
        &[],
    ),
    (
        "t_unfeat",
        "rasa-testdata-1.7/data/test_domains/default_unfeaturized_entities.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unfeaturized_entities.md",
        Some(1),
        1,
        2,
        &[],
    ),
    (
        "t_unfeat",
        "rasa-testdata-1.7/data/test_domains/default_unfeaturized_entities.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unfeaturized_entities.md",
        Some(2),
        2,
        2,
        &[],
    ),
    (
        "t_unfeat",
        "rasa-testdata-1.7/data/test_domains/default_unfeaturized_entities.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unfeaturized_entities.md",
        Some(3),
        3,
        2,
        &[],
    ),
    (
        "t_unused",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unused_checkpoints.md",
        None,
        4,
        2,
        &[],
    ),
    (
        "t_unused",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unused_checkpoints.md",
        Some(1),
        1,
        2,
        &[],
    ),
    (
        "t_unused",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unused_checkpoints.md",
        Some(2),
        2,
        2,
        &[],
    ),
    (
        "t_unused",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_unused_checkpoints.md",
        Some(3),
        3,
        2,
        &[],
    ),
    (
        "t_cycle",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_cycle.md",
        None,
        11,
        3,
        &[],
    ),
    (
        "t_cycle",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_cycle.md",
        Some(1),
        1,
        3,
        &[],
    ),
    (
        "t_cycle",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_cycle.md",
        Some(2),
        2,
        3,
        &[],
    ),
    (
        "t_cycle",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_cycle.md",
        Some(3),
        3,
        3,
        &[],
    ),
    (
        "t_multiline",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_multiline_comments.md",
        None,
        9,
        4,
        &[],
    ),
    (
        "t_multiline",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_multiline_comments.md",
        Some(1),
        1,
        4,
        &[(
            "intent 'mood_unhappy'",
            &[("action_listen", 2), ("utter_did_that_help", 2)],
            0x5a640aba4c0f1740,
        )],
    ),
    (
        "t_multiline",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_multiline_comments.md",
        Some(2),
        2,
        4,
        &[],
    ),
    (
        "t_multiline",
        "rasa-testdata-1.7/data/test_domains/default.yml",
        "rasa-testdata-1.7/data/test_stories/stories_with_multiline_comments.md",
        Some(3),
        3,
        4,
        &[],
    ),
    (
        "t_multifile",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_multifile_stories",
        None,
        12,
        7,
        &[],
    ),
    (
        "t_multifile",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_multifile_stories",
        Some(1),
        1,
        7,
        &[(
            "action 'utter_default'",
            &[("action_listen", 2), ("utter_greet", 1)],
            0x82b0563c9f0e019d,
        )],
    ),
    (
        "t_multifile",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_multifile_stories",
        Some(2),
        2,
        7,
        &[(
            "action 'utter_default'",
            &[("action_listen", 2), ("utter_greet", 1)],
            0x1bcc37c1cbbb950b,
        )],
    ),
    (
        "t_multifile",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_multifile_stories",
        Some(3),
        3,
        7,
        &[],
    ),
    (
        "t_alltests",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories",
        None,
        33,
        45,
        &[
            (
                "intent 'default'",
                &[("utter_default", 1), ("utter_goodbye", 1)],
                0x40fc7ee7ef1a0624,
            ),
            (
                "intent 'greet'",
                &[("utter_ask_howcanhelp", 8), ("utter_greet", 17)],
                0x5b1e680d980d34a4,
            ),
        ],
    ),
    (
        "t_alltests",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories",
        Some(1),
        1,
        45,
        &[
            (
                "action 'utter_default'",
                &[("action_listen", 3), ("utter_greet", 2)],
                0xa8699f4a99c1fcec,
            ),
            (
                "intent 'affirm'",
                &[
                    ("utter_ack_makereservation", 8),
                    ("utter_default", 4),
                    ("utter_happy", 1),
                ],
                0xd55d03c77bafd9d0,
            ),
            (
                "intent 'default'",
                &[("utter_default", 1), ("utter_goodbye", 3)],
                0x80ffea623896ef47,
            ),
            (
                "intent 'deny'",
                &[
                    ("action_listen", 23),
                    ("action_search_restaurants", 8),
                    ("action_suggest", 23),
                ],
                0x9ce522fff06d1cef,
            ),
            (
                "intent 'deny'",
                &[
                    ("utter_ack_dosearch", 8),
                    ("utter_ack_findalternatives", 15),
                    ("utter_goodbye", 1),
                ],
                0xc31f468b9e0af2b7,
            ),
            (
                "intent 'goodbye'",
                &[("action_restart", 1), ("utter_goodbye", 14)],
                0x5a3b13ad71d87558,
            ),
            (
                "intent 'greet'",
                &[("utter_ask_howcanhelp", 8), ("utter_greet", 17)],
                0x24713ec1bf228721,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 2), ("utter_ask_numpeople", 2)],
                0x68e55c7fc505b6c1,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 1), ("utter_ask_location", 1)],
                0x1d5046471003bad9,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 13), ("utter_ask_location", 1)],
                0x6308732214e00f1f,
            ),
            (
                "intent 'inform'",
                &[
                    ("utter_ask_location", 2),
                    ("utter_ask_moreupdates", 10),
                    ("utter_on_it", 1),
                ],
                0x171bc8a094351782,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 2), ("utter_ask_cuisine", 2)],
                0xbb93a0870a05d50b,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 9), ("utter_ask_numpeople", 1)],
                0x84e0ffe2a311ed9b,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 2), ("utter_ask_cuisine", 2)],
                0xb491958d27e972d9,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 7), ("utter_ask_price", 1)],
                0xcd608dbfc0f94779,
            ),
            (
                "intent 'mood_unhappy'",
                &[("action_listen", 2), ("utter_did_that_help", 2)],
                0x5a640aba4c0f1740,
            ),
            (
                "intent 'stop'",
                &[("some_form", 1), ("utter_ask_continue", 3)],
                0x700ea434326ffa03,
            ),
        ],
    ),
    (
        "t_alltests",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories",
        Some(2),
        2,
        45,
        &[
            (
                "action 'utter_default'",
                &[("action_listen", 3), ("utter_greet", 2)],
                0x80999a0ebda52696,
            ),
            (
                "intent 'default'",
                &[("utter_default", 1), ("utter_goodbye", 1)],
                0x317cd5c38b2b4d86,
            ),
            (
                "intent 'deny'",
                &[("action_listen", 23), ("action_suggest", 8)],
                0x74311bb7bd32eaa1,
            ),
            (
                "intent 'deny'",
                &[("action_search_restaurants", 8), ("action_suggest", 15)],
                0xffb3691e95eab8cc,
            ),
            (
                "intent 'greet'",
                &[("utter_ask_howcanhelp", 8), ("utter_greet", 17)],
                0x08a7efc0c6391f93,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 5), ("utter_ask_numpeople", 1)],
                0x1f4a6f33c150484c,
            ),
            (
                "intent 'inform'",
                &[("action_listen", 12), ("utter_ask_location", 1)],
                0xeb0abeb46c5b756f,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 4), ("utter_ask_price", 1)],
                0x8e3da391bd9814eb,
            ),
        ],
    ),
    (
        "t_alltests",
        "rasa-testdata-1.7/data/test_domains/default_with_slots.yml",
        "rasa-testdata-1.7/data/test_stories",
        Some(3),
        3,
        45,
        &[
            (
                "intent 'default'",
                &[("utter_default", 1), ("utter_goodbye", 1)],
                0xeb478d63489293b7,
            ),
            (
                "intent 'deny'",
                &[("action_listen", 15), ("action_suggest", 8)],
                0xc9d07d9ac00c3be5,
            ),
            (
                "intent 'greet'",
                &[("utter_ask_howcanhelp", 8), ("utter_greet", 17)],
                0x95ecf52f4107fca0,
            ),
            (
                "intent 'inform'",
                &[("utter_ask_moreupdates", 4), ("utter_ask_price", 1)],
                0x8477facab805fcd6,
            ),
        ],
    ),
];

#[test]
fn conflicts_agree_with_rasa_on_the_corpora_skipped_without_shared() {
    let Some(root) = common::shared(
        "conflicts_agree_with_rasa_on_the_corpora_skipped_without_shared",
        "corpora",
    ) else {
        return;
    };
    let mut failures = Vec::new();
    for &(name, domain, data, max_history, used, trackers, conflicts) in EXPECTED {
        let analysis = analyse_bot(&root, domain, data, max_history);
        let mut found: Vec<Summary> = analysis
            .conflicts
            .iter()
            .map(|c| {
                let after = after_text(&c.after);
                let actions: Vec<(String, Vec<String>)> = c
                    .actions
                    .iter()
                    .map(|a| (a.action.clone(), a.trackers.clone()))
                    .collect();
                let digest = fnv(&canonical(&after, &c.window, &actions));
                let mut counts: Vec<(String, usize)> = c
                    .actions
                    .iter()
                    .map(|a| (a.action.clone(), a.trackers.len()))
                    .collect();
                counts.sort();
                (after, counts, digest)
            })
            .collect();
        found.sort_by_key(|c| c.2);
        let mut expected: Vec<Summary> = conflicts
            .iter()
            .map(|(after, actions, digest)| {
                let counts = actions.iter().map(|(a, n)| (a.to_string(), *n)).collect();
                (after.to_string(), counts, *digest)
            })
            .collect();
        expected.sort_by_key(|c| c.2);
        let got = (analysis.max_history, analysis.trackers, &found);
        if got != (used, trackers, &expected) {
            failures.push(format!(
                "{name} (max_history {max_history:?}): Rasa {:?}\n  rasalint {:?}",
                (used, trackers, &expected),
                got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A bot whose checkpoint `hub` 30 stories end at and 30 stories start from: Rasa makes
/// 900 dialogues of it.
fn hub_bot(dir: &Path) {
    let mut domain = String::from("intents:\n");
    let mut stories = String::new();
    for i in 0..30 {
        domain.push_str(&format!("  - ask_{i}\n  - go_{i}\n"));
        stories.push_str(&format!(
            "## before {i}\n* ask_{i}\n  - utter_ok\n> hub\n\n## after {i}\n> hub\n* go_{i}\n  - utter_ok\n\n"
        ));
    }
    domain.push_str("responses:\n  utter_ok:\n  - text: ok\n");
    write_markdown_bot(dir, &domain, &stories);
}

#[test]
fn the_budget_stops_combinatorial_expansion_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    hub_bot(dir.path());
    let options = LayoutOptions {
        domain: vec![dir.path().join("domain.yml")],
        data: vec![dir.path().join("data")],
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, dir.path()).expect("layout");
    let (project, _) = rasalint::load::load(&layout.input);
    let full = analyse(&project, None, 0);
    assert_eq!(full.trackers, 900);
    assert!(full.cut.is_none());
    let limits = rasalint::story_graph::Limits {
        events: 500,
        ..Default::default()
    };
    let cut = rasalint::story_graph::analyse_with_limits(&project, None, 0, limits);
    let note = cut.cut.expect("the budget runs out");
    assert!(
        note.message.contains("budget of 500 events"),
        "{}",
        note.message
    );
    let text = &project.file(note.file).text;
    assert_eq!(&text[note.span.clone()], "> hub");
    assert!(cut.trackers < 900);
}

/// A bot of one story that starts at checkpoint `a` and ends at it `k` times in a row:
/// Rasa copies the story's steps for every end checkpoint after the first, 2^(k-1)
/// steps in all, each leading to every other.
fn loop_bot(dir: &Path, k: usize) -> rasalint::model::Project {
    let stories = format!(
        "## loop\n> a\n* greet\n  - utter_greet\n{}",
        "> a\n".repeat(k)
    );
    let domain = "intents:\n  - greet\nresponses:\n  utter_greet:\n  - text: hi\n";
    write_markdown_bot(dir, domain, &stories);
    let options = LayoutOptions {
        domain: vec![dir.join("domain.yml")],
        data: vec![dir.join("data")],
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, dir).expect("layout");
    rasalint::load::load(&layout.input).0
}

#[test]
fn end_checkpoints_in_a_row_stop_at_the_copy_budget_and_say_so() {
    for k in [16, 64, 1000] {
        let dir = tempfile::tempdir().unwrap();
        let project = loop_bot(dir.path(), k);
        let analysis = analyse(&project, None, 0);
        assert!(analysis.conflicts.is_empty());
        let note = analysis.cut.expect("the copy budget runs out");
        assert!(
            note.message.contains("did not run") && note.message.contains("copies"),
            "{}",
            note.message
        );
        assert_eq!(&project.file(note.file).text[note.span.clone()], "> a");
        let report = common::check_bot(dir.path(), &["RL301"]);
        let finding = &report.findings[..];
        assert_eq!(finding.len(), 1, "{finding:?}");
        assert_eq!(finding[0].message, note.message);
    }
}

#[test]
fn a_graph_too_large_to_order_stops_at_the_graph_budget_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let project = loop_bot(dir.path(), 6);
    let full = analyse(&project, None, 0);
    assert!(full.cut.is_none(), "{:?}", full.cut);
    let limits = rasalint::story_graph::Limits {
        graph: 0,
        ..Default::default()
    };
    let analysis = rasalint::story_graph::analyse_with_limits(&project, None, 0, limits);
    assert!(analysis.conflicts.is_empty());
    assert_eq!(analysis.trackers, 0);
    let note = analysis.cut.expect("the graph budget runs out");
    assert!(
        note.message.contains("32 story steps") && note.message.contains("budget of 16384 units"),
        "{}",
        note.message
    );
    assert_eq!(&project.file(note.file).text[note.span.clone()], "> a");
}

/// Runs `f` on its own thread and fails the test when it does not finish in 10 s.
fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(f()));
    receiver
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("finishes within 10 s")
}

/// Two stories that answer `greet` differently, and a config.yml whose policy has
/// `max_history` (when given).
fn two_story_bot(dir: &Path, config_max_history: Option<u64>) -> rasalint::model::Project {
    let domain =
        "intents:\n  - greet\nresponses:\n  utter_a:\n  - text: a\n  utter_b:\n  - text: b\n";
    let stories = "## one\n* greet\n  - utter_a\n\n## two\n* greet\n  - utter_b\n";
    write_markdown_bot(dir, domain, stories);
    if let Some(h) = config_max_history {
        let config = format!("policies:\n  - name: MemoizationPolicy\n    max_history: {h}\n");
        std::fs::write(dir.join("config.yml"), config).unwrap();
    }
    let options = LayoutOptions {
        paths: vec![dir.to_path_buf()],
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, dir).expect("layout");
    rasalint::load::load(&layout.input).0
}

#[test]
fn a_max_history_past_the_longest_dialogue_finds_what_the_longest_finds() {
    let dir = tempfile::tempdir().unwrap();
    let project = two_story_bot(dir.path(), None);
    let longest = analyse(&project, None, usize::MAX);
    assert_eq!((longest.max_history, longest.conflicts.len()), (4, 1));
    for huge in [1usize << 40, u32::MAX as usize, i64::MAX as usize] {
        let root = dir.path().to_path_buf();
        let analysis =
            within_seconds(move || analyse(&two_story_bot(&root, None), Some(huge), usize::MAX));
        assert_eq!(analysis.max_history, huge);
        assert_eq!(analysis.sliced_to, 4);
        assert_eq!(analysis.conflicts, longest.conflicts);
    }
}

#[test]
fn a_huge_max_history_in_config_yml_is_checked_as_the_longest_dialogue_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let analysis = within_seconds(move || analyse(&two_story_bot(&root, Some(1 << 40)), None, 0));
    assert_eq!((analysis.max_history, analysis.sliced_to), (1 << 40, 4));
    assert_eq!(analysis.conflicts.len(), 1);
    let report = common::check_bot(dir.path(), &["RL301"]);
    let help = report.findings[0].help.as_deref().unwrap_or_default();
    assert!(
        help.contains("max_history 1099511627776, the `max_history` of MemoizationPolicy in config.yml, is longer than the longest dialogue, 4 states"),
        "{help}"
    );
}

/// A hub checkpoint three story parts end at and three start from: one after-part starts
/// with a slot event (it replaces the state the hub hands over), two answer the same turn
/// differently. RL301 keeps the joined dialogues' shared steps once (segments); the
/// answer must stay Rasa's: every part before the hub glued to every part after it
/// (`rasa data validate stories` 1.10.26 on this bot: three conflicts after `g`, one per
/// part before the hub; with `--max-history 1`, one, three trackers each way).
fn three_by_three_hub_bot(dir: &Path) {
    let domain = "intents:\n  - a0\n  - a1\n  - a2\n  - g\nslots:\n  flag:\n    type: bool\nresponses:\n  utter_x:\n  - text: x\n  utter_y:\n  - text: y\n  utter_z:\n  - text: z\n";
    let mut stories = String::new();
    for (i, answer) in ["utter_x", "utter_x", "utter_y"].iter().enumerate() {
        stories.push_str(&format!("## before {i}\n* a{i}\n  - {answer}\n> hub\n\n"));
    }
    stories.push_str("## after yes\n> hub\n* g\n  - utter_x\n\n");
    stories.push_str("## after no\n> hub\n* g\n  - utter_y\n\n");
    stories.push_str("## after slot\n> hub\n  - slot{\"flag\": true}\n  - utter_z\n");
    write_markdown_bot(dir, domain, &stories);
}

#[test]
fn a_hub_joins_every_part_before_it_with_every_part_after_it() {
    let dir = tempfile::tempdir().unwrap();
    three_by_three_hub_bot(dir.path());
    let whole = analyse_bot(dir.path(), "domain.yml", "data", None);
    assert_eq!(whole.trackers, 9);
    // The whole dialogues: one conflict per part before the hub, named by the pair.
    assert_eq!(whole.conflicts.len(), 3);
    for (i, conflict) in whole.conflicts.iter().enumerate() {
        assert_eq!(conflict.after, PreviousEvent::Intent("g".into()));
        let names: Vec<(&str, &[String], u64)> = conflict
            .actions
            .iter()
            .map(|a| (a.action.as_str(), a.trackers.as_slice(), a.tracker_count))
            .collect();
        let yes = [format!("before {i} > after yes")];
        let no = [format!("before {i} > after no")];
        assert_eq!(
            names,
            [("utter_x", &yes[..], 1), ("utter_y", &no[..], 1)],
            "{conflict:?}"
        );
    }
    // Sliced to the last state, the three pairs meet in one conflict.
    let last = analyse_bot(dir.path(), "domain.yml", "data", Some(1));
    assert_eq!(last.conflicts.len(), 1);
    let counts: Vec<u64> = last.conflicts[0]
        .actions
        .iter()
        .map(|a| a.tracker_count)
        .collect();
    assert_eq!(counts, [3, 3]);
}

/// A conflict as fixtures/story-conflicts-yaml/oracle.py writes it, canonical: previous
/// event, sliced states (flat features), each action with its sorted tracker names.
fn oracle_conflict(conflict: &serde_json::Value) -> String {
    let mut actions: Vec<(String, Vec<String>)> = conflict["actions"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(action, names)| {
            let mut names: Vec<String> = serde_json::from_value(names.clone()).unwrap();
            names.sort();
            (action.clone(), names)
        })
        .collect();
    actions.sort();
    let (after, state) = (&conflict["after"], &conflict["state"]);
    serde_json::json!({"after": after, "state": state, "actions": actions}).to_string()
}

/// The conflicts of an analysis in the oracle's shape, canonical.
fn conflict_set(answer: &serde_json::Value) -> BTreeSet<String> {
    let all = answer["conflicts"].as_array().unwrap();
    all.iter().map(oracle_conflict).collect()
}

/// RL301's analysis of each random YAML bot of fixtures/story-conflicts-yaml/bots-RASA
/// against what Rasa RASA finds in it (rasa-RASA.json, made by make-oracle.sh), for every
/// `max_history` the file holds: the same number of trackers, and the same conflicts with
/// the same states and tracker names.
fn agree_with_stored_rasa_answers(rasa: &str) {
    let dir = common::fixtures().join("story-conflicts-yaml");
    let answers = std::fs::read_to_string(dir.join(format!("rasa-{rasa}.json"))).unwrap();
    let answers: serde_json::Value = serde_json::from_str(&answers).unwrap();
    let mut failures = Vec::new();
    let mut compared = (0, 0);
    for (max_history, answer) in answers.as_object().unwrap() {
        assert!(answer["rasa"].as_str().unwrap().starts_with(rasa));
        let max_history = max_history.parse().ok();
        for (bot, want) in answer["bots"].as_object().unwrap() {
            let path = dir.join(format!("bots-{rasa}")).join(bot);
            let got = as_oracle_json(&analyse_bot(&path, "domain.yml", "data", max_history));
            let (expected, found) = (conflict_set(want), conflict_set(&got));
            compared = (compared.0 + 1, compared.1 + expected.len());
            if found == expected && got["trackers"] == want["trackers"] {
                continue;
            }
            failures.push(format!(
                "{bot} (max_history {max_history:?}): trackers Rasa {} rasalint {}\n  only Rasa: {:?}\n  only rasalint: {:?}",
                want["trackers"],
                got["trackers"],
                expected.difference(&found).collect::<Vec<_>>(),
                found.difference(&expected).collect::<Vec<_>>(),
            ));
        }
    }
    assert!(
        compared.0 > 100 && compared.1 > 50,
        "too little compared: {compared:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} analyses differ from Rasa {rasa}:\n{}",
        failures.len(),
        compared.0,
        failures.join("\n")
    );
}

#[test]
fn conflicts_agree_with_rasa_3_6_on_random_yaml_bots() {
    agree_with_stored_rasa_answers("3.6");
}

#[test]
fn conflicts_agree_with_rasa_2_8_on_random_yaml_bots() {
    agree_with_stored_rasa_answers("2.8");
}
