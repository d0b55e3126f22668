//! The posdoctor command line, for providers and CI (`posdoctor --help`):
//! `validate`, `eval`, `extract`, `session`, `schema`, `pack`, `bench`,
//! `profile validate|schema`, `qr`. Arguments are parsed by clap; usage
//! errors exit with 2, a file that fails its checks with 1.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use posdoctor::app::{App, MemoryStore, ProviderKb, StartInput};
use posdoctor::eval::{evaluate_all, parse_scenarios, Opening, Report, TraceItem};
use posdoctor::kb::{self, Kb};
use std::process::ExitCode;

// std's print!/println! panic when stdout is a closed pipe (`posdoctor eval
// | head`); these end the program quietly instead, like other Unix tools.
macro_rules! print {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($arg)*) {
            stdout_failed(e)
        }
    }};
}
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            stdout_failed(e)
        }
    }};
}

fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("posdoctor: cannot write the output: {e}");
    std::process::exit(1);
}

/// The command line (clap). The subcommands, their flags and their output
/// are a contract with providers' scripts and CI: change them only on purpose.
#[derive(Parser)]
#[command(name = "posdoctor", about = "Troubleshooter for a POS terminal still suspended after its renewal was paid")]
#[command(subcommand_required = true, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a knowledge base (default: the built-in one).
    Validate { path: Option<String> },
    /// Run the simulated merchant on stories.
    Eval {
        #[arg(long, value_name = "FILE")]
        scenarios: String,
        #[arg(long, value_name = "PATH")]
        kb: Option<String>,
        #[arg(long)]
        json: bool,
        /// What the merchant says before the first question.
        #[arg(long, default_value = "none", value_parser = ["none", "chips", "story", "all"])]
        opening: String,
    },
    /// Print the knowledge base JSON Schema.
    Schema,
    /// Print the page's view model as JSON, or (--explain) the engine's
    /// reasoning: beliefs, plan, question values.
    Session {
        #[arg(long, value_name = "PATH")]
        kb: Option<String>,
        #[arg(long, value_name = "zh-CN|en")]
        lang: Option<String>,
        #[arg(long, value_name = "'#f.FACT=VALUE…'", allow_hyphen_values = true)]
        hash: Option<String>,
        /// FACT=VALUE, applied in command-line order with --mark.
        #[arg(long, value_name = "FACT=VALUE")]
        answer: Vec<String>,
        /// ACTION=fixed|not_fixed|cannot_do, in command-line order with --answer.
        #[arg(long, value_name = "ACTION=OUTCOME")]
        mark: Vec<String>,
        #[arg(long)]
        explain: bool,
    },
    /// Engine decision time and decision quality.
    Bench {
        #[arg(long)]
        json: bool,
    },
    /// Validate a knowledge base and write its compact form for the page.
    Pack {
        path: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: String,
        /// Write the texts the first screen never needs (how-to, why,
        /// details, help, tips) to this file instead, loaded by the page
        /// after it is ready; `--out` then holds the rest.
        #[arg(long, value_name = "FILE")]
        texts: Option<String>,
        /// With --texts: write the chips' cue phrases, anchors and shop
        /// words (what the extractor module reads) to this file.
        #[arg(long, value_name = "FILE", requires = "texts")]
        cues: Option<String>,
    },
    /// Provider profiles.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// What the extractor understands in a merchant's words (TEXT - reads stdin; put -- before a text that starts with -).
    Extract {
        #[arg(long, value_name = "zh-CN|en")]
        lang: Option<String>,
        #[arg(long, value_name = "PATH")]
        kb: Option<String>,
        #[arg(long)]
        json: bool,
        #[arg(value_name = "TEXT", required = true)]
        words: Vec<String>,
    },
    /// Write a printable QR sticker for BASE#model=M&provider=P[&lang=L].
    Qr {
        #[arg(long, value_name = "BASE")]
        url: String,
        #[arg(long, value_name = "M")]
        model: String,
        #[arg(long, value_name = "P")]
        provider: String,
        #[arg(long, value_name = "zh-CN|en")]
        lang: Option<String>,
        #[arg(long, value_name = "FILE.svg")]
        out: String,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Check a provider profile file (default: kb/providers.json, built in).
    Validate { path: Option<String> },
    /// Print the provider profile JSON Schema.
    Schema,
}

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return usage_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        Command::Validate { path } => validate(path.as_deref()),
        Command::Eval { scenarios, kb, json, opening } => eval(&scenarios, kb.as_deref(), json, &opening),
        Command::Schema => schema(),
        Command::Session { kb, lang, hash, answer, mark, explain } => {
            // --answer and --mark apply in the order given, as taps would.
            let m = matches.subcommand_matches("session");
            let at = |id: &str| m.and_then(|m| m.indices_of(id)).map(|i| i.collect::<Vec<_>>()).unwrap_or_default();
            let mut taps: Vec<(usize, bool, String)> = at("answer").into_iter().zip(answer).map(|(i, v)| (i, true, v)).collect();
            taps.extend(at("mark").into_iter().zip(mark).map(|(i, v)| (i, false, v)));
            taps.sort_by_key(|t| t.0);
            session(kb.as_deref(), lang, hash, taps.into_iter().map(|(_, a, v)| (a, v)).collect(), explain)
        }
        Command::Bench { json } => bench(json),
        Command::Pack { path, out, texts, cues } => pack(path.as_deref(), &out, texts.as_deref(), cues.as_deref()),
        Command::Profile { command } => profile(command),
        Command::Extract { lang, kb, json, words } => extract(lang.as_deref(), kb.as_deref(), json, &words),
        Command::Qr { url, model, provider, lang, out } => qr(&url, &model, &provider, lang.as_deref(), &out),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Help goes to stdout (exit 0); a usage error to stderr with the
/// subcommand's name first (exit 2), as before clap.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        print!("{e}");
        return ExitCode::SUCCESS;
    }
    let sub = std::env::args().nth(1).filter(|a| Cli::command().find_subcommand(a).is_some());
    match sub {
        Some(sub) => eprint!("{sub}: {e}"),
        None => eprint!("{e}"),
    }
    ExitCode::from(2)
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Loads a KB from a path (or the built-in one), printing every error.
fn load_kb(path: Option<&str>) -> Result<Kb, ExitCode> {
    let (name, result) = match path {
        Some(p) => match read(p) {
            Ok(bytes) => (p.to_string(), kb::load_source(&bytes)),
            Err(e) => {
                eprintln!("{e}");
                return Err(ExitCode::from(1));
            }
        },
        None => ("built-in knowledge base".to_string(), kb::default_kb()),
    };
    result.map_err(|errors| {
        for e in &errors {
            println!("{e}");
        }
        eprintln!("{name}: {} error{}", errors.len(), if errors.len() == 1 { "" } else { "s" });
        ExitCode::from(1)
    })
}

fn validate(path: Option<&str>) -> Result<ExitCode, String> {
    Ok(match load_kb(path) {
        Ok(kb) => {
            let how_to: usize = kb.actions.iter().map(|a| a.how.zh.len()).sum();
            println!(
                "ok: {} {} — {} causes, {} questions, {} actions ({} how-to steps), {} tips",
                kb.id,
                kb.version,
                kb.causes.len(),
                kb.questions.len(),
                kb.actions.len(),
                how_to,
                kb.tips.len()
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    })
}

fn eval(scenarios: &str, kb_path: Option<&str>, json: bool, opening: &str) -> Result<ExitCode, String> {
    let openings: Vec<Opening> = match opening {
        "all" => Opening::ALL.to_vec(),
        one => vec![Opening::parse(one).ok_or_else(|| format!("--opening takes none, chips, story or all, not {one}"))?],
    };
    let kb = match load_kb(kb_path) {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let text = String::from_utf8(read(scenarios)?).map_err(|_| format!("{scenarios}: not UTF-8"))?;
    let stories = parse_scenarios(&text)?;
    let reports = evaluate_all(&kb, &stories, &openings);
    let all = opening == "all";
    if json {
        let out = if let (true, [none, chips, story]) = (all, reports.as_slice()) {
            // A struct, not a map, so the runs keep this order.
            #[derive(serde::Serialize)]
            struct Runs<'a> {
                none: &'a Report,
                chips: &'a Report,
                story: &'a Report,
            }
            #[derive(serde::Serialize)]
            struct All<'a> {
                runs: Runs<'a>,
            }
            serde_json::to_string_pretty(&All { runs: Runs { none, chips, story } })
        } else {
            serde_json::to_string_pretty(&reports[0])
        };
        println!("{}", out.map_err(|e| e.to_string())?);
    } else {
        for (i, r) in reports.iter().enumerate() {
            if all {
                if i > 0 {
                    println!();
                }
                println!("opening: {}", r.opening.id());
            }
            print_table(r);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Steps as the table shows them: whole numbers without fractions.
fn steps_text(steps: f64) -> String {
    if steps.fract() == 0.0 {
        format!("{steps:.0}")
    } else {
        format!("{steps:.2}")
    }
}

fn print_table(r: &Report) {
    println!("{:<6} {:>6} {:>7} {:>8} {:>9}  trace", "story", "solved", "steps", "minutes", "baseline");
    for s in &r.scenarios {
        let trace: Vec<String> = s
            .trace
            .iter()
            .map(|t| match t {
                TraceItem::Question { question, answer, fact: None } => format!("{question}={answer}"),
                TraceItem::Question { question, answer, fact: Some(fact) } => format!("{question}:{fact}={answer}"),
                TraceItem::Step { step, outcome } => {
                    format!("{}:{}", step.trim_start_matches("action."), posdoctor::session::outcome_id(*outcome))
                }
                TraceItem::Told { told, value, via } => format!("{via}:{told}={value}"),
                TraceItem::Removed { removed, value } => format!("removed:{removed}={value}"),
            })
            .collect();
        println!(
            "{:<6} {:>6} {:>7} {:>8.1} {:>9}  {}",
            s.id,
            if s.solved { "yes" } else { "NO" },
            steps_text(s.steps),
            s.minutes,
            s.baseline_steps,
            trace.join(" → ")
        );
    }
    println!(
        "engine:   {}/{} solved within 6 steps, {:.2} steps and {:.1} merchant minutes on average",
        r.solved, r.total, r.mean_steps, r.mean_minutes
    );
    println!(
        "baseline: {}/{} solved within 6 steps, {:.2} steps and {:.1} merchant minutes on average (the article's order, no questions)",
        r.baseline_solved, r.total, r.baseline_mean_steps, r.baseline_mean_minutes
    );
    println!(
        "oracle:   {:.2} steps on average (knows the cause and the story's facts, follows the plan); engine − oracle {:+.2} steps",
        r.oracle_mean_steps, r.oracle_distance
    );
    println!(
        "merchant: {:.2} \"not sure\" answers per story, {} wasted provider call{}, {} unsafe recommendation{}",
        r.not_sure_per_story,
        r.wasted_provider_calls,
        if r.wasted_provider_calls == 1 { "" } else { "s" },
        r.unsafe_recommendations,
        if r.unsafe_recommendations == 1 { "" } else { "s" }
    );
    if let Some(x) = &r.extraction {
        let ratio = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.2}"));
        println!(
            "extraction: precision {}, recall {} ({} understood, {} correct, {} expected fact=value pairs)",
            ratio(x.precision),
            ratio(x.recall),
            x.found,
            x.correct,
            x.expected
        );
    }
}

fn pack(path: Option<&str>, out: &str, texts: Option<&str>, cues: Option<&str>) -> Result<ExitCode, String> {
    let kb = match load_kb(path) {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let write = |file: &str, bytes: &[u8]| std::fs::write(file, bytes).map_err(|e| format!("cannot write {file}: {e}"));
    match texts {
        None => {
            let bytes = kb::packed::encode(&kb);
            write(out, &bytes)?;
            println!("packed {} {} into {out}: {} bytes", kb.id, kb.version, bytes.len());
        }
        Some(texts) => {
            let (decisions, text_pack) = kb::packed::encode_split(&kb);
            write(out, &decisions)?;
            write(texts, &text_pack)?;
            println!(
                "packed {} {} into {out}: {} bytes, and its texts into {texts}: {} bytes",
                kb.id,
                kb.version,
                decisions.len(),
                text_pack.len()
            );
            if let Some(cues) = cues {
                let cue_pack = kb::packed::encode_cues(&kb, &decisions);
                write(cues, &cue_pack)?;
                println!("and its cue phrases into {cues}: {} bytes", cue_pack.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn schema() -> Result<ExitCode, String> {
    let schema = schemars::schema_for!(kb::RawKb);
    println!("{}", serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?);
    Ok(ExitCode::SUCCESS)
}

/// `taps`: (is an answer, KEY=VALUE) in command-line order.
fn session(kb_path: Option<&str>, lang: Option<String>, hash: Option<String>, taps: Vec<(bool, String)>, explain: bool) -> Result<ExitCode, String> {
    let mut input = StartInput { now_ms: 0.0, lang_attr: lang, hash: hash.unwrap_or_default(), ..StartInput::default() };
    if let Some(path) = kb_path {
        input.provider_kb = ProviderKb::from_text(&String::from_utf8_lossy(&read(path)?));
    }
    let mut pairs: Vec<(bool, String, String)> = Vec::new();
    for (is_answer, v) in taps {
        let flag = if is_answer { "--answer" } else { "--mark" };
        let (k, val) = v.split_once('=').ok_or_else(|| format!("{flag} takes KEY=VALUE"))?;
        pairs.push((is_answer, k.to_string(), val.to_string()));
    }
    let builtin = kb::default_kb().map_err(|errors| errors[0].to_string())?;
    let mut app = App::start(builtin, input, MemoryStore::default());
    for e in &app.kb_errors {
        eprintln!("{e}");
    }
    for (is_answer, k, v) in pairs {
        let taken = if is_answer { app.answer(&k, &v) } else { app.mark(&k, &v).is_some() };
        if !taken {
            return Err(format!("not taken: {k}={v}"));
        }
    }
    if explain {
        print_explanation(app.kb(), &app.session().evidence(app.kb()).0);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", serde_json::to_string_pretty(&app.view()).map_err(|e| e.to_string())?);
    Ok(ExitCode::SUCCESS)
}

/// The engine's reasoning in plain text, for knowledge-base authors.
fn print_explanation(kb: &Kb, ev: &posdoctor::engine::Evidence) {
    use posdoctor::engine::{decide, question_scores, Block};
    let d = decide(kb, ev);
    println!("next: {:?}", d.next);
    println!("beliefs:");
    let mut order: Vec<usize> = (0..kb.causes.len()).collect();
    order.sort_by(|&a, &b| d.beliefs[b].total_cmp(&d.beliefs[a]));
    for c in order {
        println!("  {:>6.3}  {}", d.beliefs[c], kb.causes[c].id);
    }
    println!("plan (expected cost of repair {:.3}):", d.ecr);
    for s in &d.plan {
        println!("  p_fix {:>5.3}  cost {:>5.2}  {}", s.p_fix, kb.action_cost(s.action), kb.actions[s.action].id);
    }
    if !d.blocked.is_empty() {
        println!("held back by a safety rule (in no plan, never recommended):");
        for &(a, why) in &d.blocked {
            let why = match why {
                Block::AlreadyPaid => "the money for this fee was already taken: support sorts out the first payment",
                Block::Unverified => "paid or told through a link, SMS, chat or call: check the real status in the official app first",
            };
            println!("  {}  ({why})", kb.actions[a].id);
        }
    }
    // The numbers the decision weighed, not a second estimate of them.
    match question_scores(kb, ev, false) {
        None => println!("questions: none left to weigh"),
        Some(scores) => {
            println!(
                "questions (expected cost of repair if asked now, looking {} moves ahead for the first {}; doing the next step now costs {:.3}; the cheapest of those below that is asked):",
                scores.depth,
                scores.beam.min(scores.asked.len()),
                scores.act_now
            );
            for &(q, one_move, deep) in &scores.asked {
                let deep = deep.map_or_else(|| "      -".to_string(), |c| format!("{c:>7.3}"));
                println!("  one move {one_move:>7.3}  deep {deep}  {}", kb.questions[q].id);
            }
            if let Some(q) = scores.best() {
                println!("asked: {}", kb.questions[q].id);
            }
        }
    }
}

fn bench(json: bool) -> Result<ExitCode, String> {
    use posdoctor::bench::{quality_case, synthetic_kb, time_decision, time_extraction, time_preparing_cues, Rng, EXTRACT_STORIES};
    let default = kb::default_kb().map_err(|e| e[0].to_string())?;
    let mut rows: Vec<(String, usize, usize, usize, f64)> = Vec::new();
    let shape = |kb: &Kb| (kb.causes.len(), kb.actions.len(), kb.questions.len());
    let (c, a, q) = shape(&default);
    rows.push(("default KB".into(), c, a, q, time_decision(&default, 501)));
    for (causes, actions, questions, runs) in [(10, 3, 2, 501), (100, 30, 20, 101), (1000, 300, 200, 21)] {
        let kb = synthetic_kb(causes, actions, questions, 7);
        let (c, a, q) = shape(&kb);
        rows.push((format!("synthetic {causes}"), c, a, q, time_decision(&kb, runs)));
    }
    let mut rng = Rng::new(2026);
    let ratios: Vec<f64> = (0..2000).map(|_| { let (e, o) = quality_case(&mut rng); e / o }).collect();
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    let worst = ratios.iter().copied().fold(1.0, f64::max);
    let optimal = ratios.iter().filter(|r| **r <= 1.0 + 1e-9).count();
    // The extractor on the default KB: (language, characters, median µs).
    let extraction: Vec<(kb::Lang, usize, f64)> =
        EXTRACT_STORIES.iter().map(|&(lang, text)| (lang, text.chars().count(), time_extraction(&default, text, 501))).collect();
    // Once, when the extractor module loads.
    let preparing = time_preparing_cues(&default, 51);
    if json {
        let decisions: Vec<serde_json::Value> = rows
            .iter()
            .map(|(name, c, a, q, us)| serde_json::json!({"kb": name, "causes": c, "actions": a, "questions": q, "median_us": us}))
            .collect();
        let extraction: Vec<serde_json::Value> = extraction
            .iter()
            .map(|(lang, chars, us)| serde_json::json!({"lang": lang.code(), "chars": chars, "median_us": us}))
            .collect();
        let v = serde_json::json!({"decisions": decisions, "quality": {"cases": ratios.len(), "mean_ratio": mean, "worst_ratio": worst, "optimal_cases": optimal}, "extraction": extraction, "extraction_prepare_us": preparing});
        println!("{v}");
    } else {
        println!("{:<16} {:>7} {:>8} {:>10} {:>14}", "knowledge base", "causes", "actions", "questions", "decision (med)");
        for (name, c, a, q, us) in &rows {
            println!("{name:<16} {c:>7} {a:>8} {q:>10} {:>11.1} µs", us);
        }
        println!(
            "decision quality on {} random small KBs (steps sharing causes): engine ECR / optimal ECR mean {mean:.4}, worst {worst:.4}; optimal in {optimal}",
            ratios.len()
        );
        for (lang, chars, us) in &extraction {
            println!("extraction ({}, {chars}-character story, {} observations): {us:.1} µs (median)", lang.code(), default.observations.len());
        }
        println!("extraction: preparing the cue phrases, once when the extractor module loads: {preparing:.1} µs (median)");
    }
    Ok(ExitCode::SUCCESS)
}

/// `profile validate [PATH]` and `profile schema`: provider profiles for
/// providers who build the page themselves (kb/providers.json is compiled in).
fn profile(command: ProfileCommand) -> Result<ExitCode, String> {
    use posdoctor::profile;
    let path = match &command {
        ProfileCommand::Schema => {
            print!("{}", profile::schema_json());
            return Ok(ExitCode::SUCCESS);
        }
        ProfileCommand::Validate { path } => path.as_deref().unwrap_or("kb/providers.json"),
    };
    let text = match read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            eprintln!("{path}: not UTF-8");
            return Ok(ExitCode::from(1));
        }
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(1));
        }
    };
    match profile::load(&text) {
        Ok(profiles) => {
            let ids: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
            println!("ok: {} profile{}: {}", ids.len(), if ids.len() == 1 { "" } else { "s" }, ids.join(", "));
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                println!("{e}");
            }
            eprintln!("{path}: {} error{}", errors.len(), if errors.len() == 1 { "" } else { "s" });
            Ok(ExitCode::from(1))
        }
    }
}

/// `qr --url BASE --model M --provider P [--lang L] --out FILE.svg`.
fn qr(url: &str, model: &str, provider: &str, lang: Option<&str>, out: &str) -> Result<ExitCode, String> {
    let sticker = posdoctor::qr::Sticker::new(url, model, provider, lang).map_err(|e| format!("qr: {e}"))?;
    let (svg, m) = sticker.svg()?;
    if let Err(e) = std::fs::write(out, svg) {
        eprintln!("cannot write {out}: {e}");
        return Ok(ExitCode::from(1));
    }
    if posdoctor::profile::Profile::lookup(provider).name.is_none() {
        eprintln!("note: \"{provider}\" is no built-in provider profile; the page will show the neutral one");
    }
    println!(
        "wrote {out}: QR version {} ({}×{} modules, error correction {:?}, quiet zone {}) for {}",
        m.version,
        m.width,
        m.width,
        posdoctor::qr::EC_LEVEL,
        posdoctor::qr::QUIET_ZONE,
        sticker.link()
    );
    Ok(ExitCode::SUCCESS)
}

/// `extract [--lang L] [--kb PATH] [--json] TEXT`: the say-what-you-know
/// extractor on a merchant's words. Plain: one line per fact=value with
/// the words that triggered it. `--json`: `{"facts": {FACT: VALUE},
/// "evidence": [{"fact", "value", "text"}]}`, in text order.
fn extract(lang: Option<&str>, kb_path: Option<&str>, json: bool, words: &[String]) -> Result<ExitCode, String> {
    let lang = match lang {
        Some(tag) => Some(kb::Lang::parse(tag).ok_or_else(|| format!("extract: unknown language {tag} (zh-CN or en)"))?),
        None => None,
    };
    let text = match words {
        [] => return Err("extract needs TEXT".to_string()),
        [one] if one == "-" => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| format!("extract: cannot read stdin: {e}"))?;
            s
        }
        _ => words.join(" "),
    };
    let kb = match load_kb(kb_path) {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let found = posdoctor::extract::extract(&kb, &text, lang).found;
    let pairs: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| {
            let q = &kb.questions[f.question];
            (q.id.as_str(), q.answers[f.answer].value.as_str(), text.get(f.start..f.end).unwrap_or(""))
        })
        .collect();
    if json {
        let s = |x: &str| serde_json::to_string(x).unwrap_or_default();
        let facts: Vec<String> = pairs.iter().map(|(f, v, _)| format!("{}: {}", s(f), s(v))).collect();
        let evidence: Vec<String> =
            pairs.iter().map(|(f, v, t)| format!("{{\"fact\": {}, \"value\": {}, \"text\": {}}}", s(f), s(v), s(t))).collect();
        println!("{{\"facts\": {{{}}}, \"evidence\": [{}]}}", facts.join(", "), evidence.join(", "));
    } else {
        for (f, v, t) in &pairs {
            println!("{f}={v}\t{t}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
