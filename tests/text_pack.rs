//! The built-in knowledge base reaches the page in three packs (issue 14):
//! the decision pack (`kb.bin`, on the critical path), the text pack
//! (`kb-text.bin`, fetched after the page is ready) and the cue pack
//! (`kb-cues.bin`, read by the extractor module alone). These tests hold
//! them to the one-piece pack: together they give back the validated KB,
//! a text or cue pack joins only its own decision pack, damage is an error
//! and never a panic, and the page's view is the same once the texts arrive.

use posdoctor::app::{App, MemoryStore, ProviderKb, StartInput};
use posdoctor::json::ToJson;
use posdoctor::kb::packed::{self, TextPackError};
use posdoctor::kb::{self, Kb};

fn default_kb() -> Kb {
    kb::default_kb().unwrap()
}

fn stripped(kb: &Kb) -> Kb {
    let mut kb = without_cues(kb);
    packed::strip_texts(&mut kb);
    kb
}

/// The KB as the decision and text packs give it: the cue pack's words
/// (the chips' cue phrases and anchors, the shop words) are not theirs.
fn without_cues(kb: &Kb) -> Kb {
    let mut kb = kb.clone();
    for o in &mut kb.observations {
        o.cues = kb::TextList::default();
        o.anchors = kb::TextList::default();
    }
    kb.shop_words = kb::ShopWords::default();
    kb
}

#[test]
fn the_two_packs_give_back_the_validated_kb() {
    let kb = default_kb();
    let (decisions, texts) = packed::encode_split(&kb);
    let (mut half, id) = packed::decode_decisions(&decisions).expect("the decision pack decodes");
    assert_eq!(half, stripped(&kb));
    // Nothing the text pack carries is in the decision pack (a paying
    // step's how-to and why are not the text pack's).
    assert!(half.actions.iter().filter(|a| a.pays.is_none()).all(|a| a.how.zh.is_empty() && a.why.zh.is_empty()));
    assert!(half.tips.iter().all(|t| t.text.zh.is_empty()) && half.questions.iter().all(|q| q.help.is_none()));
    assert!(half.observations.iter().all(|o| o.cues.zh.is_empty() && o.cues.en.is_empty()));
    assert_eq!(half.shop_words, kb::ShopWords::default());
    assert!(!filled(&half));
    assert_eq!(packed::join_texts(&mut half, id, &texts), Ok(()));
    assert_eq!(half, without_cues(&kb));
    // The one-piece pack is the three, one after the other.
    let cues = packed::encode_cues(&kb, &decisions);
    let whole = packed::encode(&kb);
    assert_eq!(whole, [decisions.clone(), texts.clone(), cues.clone()].concat());
    assert_eq!(packed::decode_with_cues(&whole), Some(kb.clone()));
    assert_eq!(packed::decode_split(&decisions, &texts), Some(without_cues(&kb)));
    // The cue pack gives the extractor the chips with their words, from
    // the built-in packs or the one-piece pack alike.
    let pack = packed::decode_cues(&decisions, Some(&cues)).expect("the cue pack decodes");
    assert_eq!(packed::decode_cues(&whole, None), Some(pack.clone()));
    assert_eq!((pack.facts, &pack.shop_words), (kb.questions.len(), &kb.shop_words));
    for (p, o) in pack.observations.iter().zip(&kb.observations) {
        assert_eq!((p.question, p.answer, p.topic, p.negated, p.hours, &p.cues, &p.anchors), (o.question, o.answer, o.topic, o.negated, o.hours, &o.cues, &o.anchors));
    }
    assert_eq!(pack.observations.len(), kb.observations.len());
    assert!(packed::decode_cues(&decisions, Some(&texts)).is_none());
    assert!(packed::decode_cues(&decisions, Some(&[cues.clone(), vec![0]].concat())).is_none());
    assert!(packed::decode_cues(&[decisions.clone(), texts.clone()].concat(), None).is_none());
    assert!(packed::decode(&[decisions.clone(), texts.clone()].concat()).is_none());
    assert!(packed::decode_split(&decisions, &decisions).is_none());
    assert!(packed::decode_split(&texts, &texts).is_none());
    // Each alone is not the other.
    assert!(packed::decode(&decisions).is_none());
    assert!(packed::decode_decisions(&whole).is_none());
    assert!(packed::decode_decisions(&texts).is_none());
}

#[test]
fn the_texts_the_first_screen_needs_stay_in_the_decision_pack() {
    let kb = default_kb();
    let (half, _) = packed::decode_decisions(&packed::encode_split(&kb).0).unwrap();
    assert_eq!(half.title, kb.title);
    for (a, b) in half.questions.iter().zip(&kb.questions) {
        assert_eq!((&a.text, &a.answers), (&b.text, &b.answers));
    }
    for (a, b) in half.actions.iter().zip(&kb.actions) {
        assert_eq!(a.title, b.title);
        // A paying step is never shown without its how-to: it says to
        // check the money was not taken already and to pay only in the
        // official app (DESIGN "Safety rules").
        if b.pays.is_some() {
            assert_eq!((&a.how, &a.why), (&b.how, &b.why), "{}", b.id);
            assert!(a.how.zh.iter().any(|x| x.contains("官方")) && a.how.en.iter().any(|x| x.contains("official")), "{}", b.id);
        }
    }
    assert!(kb.actions.iter().any(|a| a.pays.is_some()));
    // The chips are there to tap; their cue phrases and anchors come with
    // the cue pack (60 % of the decision pack's bytes before they moved).
    for (a, b) in half.observations.iter().zip(&kb.observations) {
        assert_eq!((a.question, a.answer, a.topic, &a.text, a.negated, a.more, a.hours), (b.question, b.answer, b.topic, &b.text, b.negated, b.more, b.hours));
        assert!(a.cues.zh.is_empty() && a.cues.en.is_empty() && a.anchors.zh.is_empty() && a.anchors.en.is_empty());
    }
    assert_eq!(half.observations.len(), kb.observations.len());
    assert_eq!(half.causes.iter().map(|c| &c.name).collect::<Vec<_>>(), kb.causes.iter().map(|c| &c.name).collect::<Vec<_>>());
}

#[test]
fn a_text_pack_never_joins_another_decision_pack() {
    let kb = default_kb();
    let (decisions, _) = packed::encode_split(&kb);
    // Another build: one prior changed, so another decision pack.
    let mut other = kb.clone();
    other.causes[0].prior = (other.causes[0].prior * 0.5).max(0.001);
    let (other_decisions, other_texts) = packed::encode_split(&other);
    assert_ne!(decisions, other_decisions);
    let (mut half, id) = packed::decode_decisions(&decisions).unwrap();
    assert_eq!(packed::join_texts(&mut half, id, &other_texts), Err(TextPackError::OtherKb));
    assert_eq!(half, stripped(&kb), "left without texts");
    // Nor does a decision pack's id fit the other's texts in one piece.
    let mixed = [decisions.clone(), other_texts].concat();
    assert!(packed::decode(&mixed).is_none());
    // Nor the other's cue pack, alone or in one piece.
    let other_cues = packed::encode_cues(&other, &other_decisions);
    assert!(packed::decode_cues(&decisions, Some(&other_cues)).is_none());
    let (_, texts) = packed::encode_split(&kb);
    assert!(packed::decode(&[decisions, texts, other_cues].concat()).is_none());
}

#[test]
fn a_damaged_cue_pack_is_refused_never_a_panic() {
    let kb = default_kb();
    let (decisions, _) = packed::encode_split(&kb);
    let cues = packed::encode_cues(&kb, &decisions);
    for cut in (0..cues.len()).step_by(7) {
        assert!(packed::decode_cues(&decisions, Some(&cues[..cut])).is_none(), "cut at {cut}");
    }
    // A byte flipped: refused, or chips whose words keep every rule.
    for i in (0..cues.len()).step_by(7) {
        let mut damaged = cues.clone();
        damaged[i] ^= 0x5a;
        if let Some(p) = packed::decode_cues(&decisions, Some(&damaged)) {
            let filled = |l: &kb::TextList| l.zh.iter().chain(&l.en).all(|c| !c.trim().is_empty());
            assert!(p.observations.iter().all(|o| filled(&o.cues) && filled(&o.anchors)), "flipped at {i}");
        }
    }
}

#[test]
fn a_damaged_text_pack_is_an_error_and_leaves_the_kb_without_texts() {
    let kb = default_kb();
    let (decisions, texts) = packed::encode_split(&kb);
    let (half, id) = packed::decode_decisions(&decisions).unwrap();
    // Cut anywhere (every 7th byte: all of them are slow in debug builds).
    for cut in (0..texts.len()).step_by(7) {
        let mut k = half.clone();
        assert_eq!(packed::join_texts(&mut k, id, &texts[..cut]), Err(TextPackError::Damaged), "cut at {cut}");
        assert_eq!(k, half);
    }
    // A byte flipped: an error with the KB untouched, or texts that keep
    // every rule; never a panic.
    for i in (0..texts.len()).step_by(7) {
        let mut damaged = texts.clone();
        damaged[i] ^= 0x5a;
        let mut k = half.clone();
        match packed::join_texts(&mut k, id, &damaged) {
            Ok(()) => assert!(filled(&k), "flipped at {i}: joined texts must be filled"),
            Err(_) => assert_eq!(k, half),
        }
    }
    // Trailing bytes are damage too.
    let mut k = half.clone();
    assert_eq!(packed::join_texts(&mut k, id, &[texts.clone(), vec![0]].concat()), Err(TextPackError::Damaged));
    assert_eq!(packed::join_texts(&mut k, id, b""), Err(TextPackError::Damaged));
}

/// Every text the text pack carries is there (what `join_texts` checks).
fn filled(kb: &Kb) -> bool {
    let text = |t: &kb::Text| !t.zh.trim().is_empty() && !t.en.trim().is_empty();
    kb.causes.iter().all(|c| text(&c.detail))
        && kb.actions.iter().all(|a| text(&a.why) && !a.how.zh.is_empty() && !a.how.en.is_empty())
        && kb.tips.iter().all(|t| text(&t.text))
}

fn app(hash: &str, texts: Option<packed::TextPackId>, kb: Kb, store: MemoryStore) -> App<MemoryStore> {
    let input = StartInput { hash: hash.into(), now_ms: 1.0e12, builtin_texts: texts, ..StartInput::default() };
    App::start(kb, input, store)
}

/// Answers every question "not sure" until the page recommends a step.
fn until_step(app: &mut App<MemoryStore>) {
    app.finish_opening();
    for _ in 0..20 {
        let view = app.view();
        if view.status != "question" {
            break;
        }
        let fact = view.question.unwrap().fact;
        app.answer(&fact, kb::NOT_SURE);
    }
    assert_eq!(app.view().status, "step");
}

#[test]
fn the_view_is_the_same_once_the_texts_arrive() {
    let kb = default_kb();
    let (decisions, texts) = packed::encode_split(&kb);
    let (half, id) = packed::decode_decisions(&decisions).unwrap();
    // Progress that lands straight on a step, as a reload or a deep link does.
    let mut whole = app("", None, kb.clone(), MemoryStore::default());
    until_step(&mut whole);
    let saved = MemoryStore(whole.store().0.clone());
    let whole = app("#lang=en", None, kb.clone(), MemoryStore(saved.0.clone()));
    let mut waiting = app("#lang=en", Some(id), half, saved);
    assert!(waiting.texts_awaited() && !whole.texts_awaited());
    let before = waiting.view();
    let next = before.steps.iter().find(|s| s.next).expect("a next step");
    assert!(!next.title.is_empty() && next.how.is_empty() && next.why.is_empty());
    // Tips without words (the page draws none of them) until the pack lands.
    assert!(!before.tips.is_empty() && before.tips.iter().all(|t| t.text.is_empty()));
    assert!(before.causes.iter().all(|c| c.detail.is_empty() && !c.name.is_empty()));
    assert_ne!(before.to_json(), whole.view().to_json());
    assert_eq!(waiting.add_texts(&texts), Ok(()));
    assert!(!waiting.texts_awaited());
    assert_eq!(waiting.view().to_json(), whole.view().to_json());
    assert!(waiting.view().tips.iter().all(|t| !t.text.is_empty()));
    // Joined once: a second copy changes nothing.
    assert_eq!(waiting.add_texts(b"not a pack"), Ok(()));
    assert_eq!(waiting.view().to_json(), whole.view().to_json());
}

#[test]
fn a_failed_text_pack_leaves_the_titles() {
    let kb = default_kb();
    let (decisions, texts) = packed::encode_split(&kb);
    let (half, id) = packed::decode_decisions(&decisions).unwrap();
    let mut waiting = app("", Some(id), half, MemoryStore::default());
    until_step(&mut waiting);
    assert_eq!(waiting.add_texts(&texts[..texts.len() / 2]), Err(TextPackError::Damaged));
    assert!(waiting.texts_awaited());
    let view = waiting.view();
    assert!(view.steps.iter().all(|s| !s.title.is_empty()));
    // It may come later (the next start fetches it again).
    assert_eq!(waiting.add_texts(&texts), Ok(()));
    assert!(waiting.view().steps.iter().all(|s| !s.how.is_empty()));
}

#[test]
fn a_provider_kb_comes_whole_and_waits_for_no_text_pack() {
    let builtin = default_kb();
    let (decisions, _) = packed::encode_split(&builtin);
    let (half, id) = packed::decode_decisions(&decisions).unwrap();
    let tiny = include_str!("fixtures/tiny-kb.json");
    let provider = packed::decode_with_cues(&packed::encode(&kb::load(tiny).unwrap())).unwrap();
    let input = StartInput { provider_kb: ProviderKb::Loaded(provider), builtin_texts: Some(id), ..StartInput::default() };
    let mut app = App::start(half.clone(), input, MemoryStore::default());
    assert!(!app.texts_awaited());
    assert_eq!(app.add_texts(b""), Ok(()));
    // A provider KB that failed: the built-in one waits for its texts.
    let input =
        StartInput { provider_kb: ProviderKb::from_text("{\"schema\": 1}"), builtin_texts: Some(id), ..StartInput::default() };
    assert!(App::start(half, input, MemoryStore::default()).texts_awaited());
}
