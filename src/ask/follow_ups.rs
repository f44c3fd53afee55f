//! Follow-up questions: the headings of the sections ranked after the answer's, each
//! phrased as the question a reader would ask to get there ("Rotate a key" → "How do
//! I rotate a key?", "Rate limit headers" → "What are rate limit headers?", "When you
//! exceed the limit" → "What happens when you exceed the limit?"). Headings that only
//! frame a page ("Overview", "See also", "Next steps"), are whole sentences, or are
//! shared by many pages ("Flags") lead nowhere and give no question.
//!
//! Takes the ranked hits (or one heading); gives the follow-ups (or a question).

use super::{encode, format, rank, Engine, Request};
use crate::markdown::capitalise;

/// Follow-up questions offered.
const FOLLOW_UPS: usize = 3;
/// Ranked sections with a question considered for the follow-ups.
const FOLLOW_UP_CANDIDATES: usize = 12;
/// A heading used by this many pages names a kind of section, not a topic.
pub(super) const SHARED_HEADING_PAGES: usize = 3;
/// Longest heading turned into a question, in characters.
const MAX_HEADING_CHARS: usize = 80;

/// Imperative verbs that start task headings ("Create a token").
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "add", "create", "delete", "remove", "edit", "change", "copy", "view", "enable", "disable", "set",
    "install", "configure", "open", "find", "use", "send", "receive", "run", "deploy", "update", "upgrade",
    "connect", "build", "list", "get", "manage", "reset", "start", "stop", "check", "define", "make",
    "write", "read", "rotate", "revoke", "verify", "register", "buy", "pay", "cancel", "track", "retry",
    "rename", "move", "import", "export", "upload", "download", "invite", "assign", "grant", "restore",
    "scale", "test", "integrate", "migrate", "customize", "customise", "monitor", "handle", "avoid", "fix",
    "troubleshoot", "generate", "authenticate", "log", "sign", "debug", "choose", "select", "apply", "load",
    "save", "share", "publish", "schedule", "filter", "search", "sort", "group", "limit", "secure", "protect",
    "embed", "display", "show", "hide", "access", "call", "initialize", "initialise", "implement", "extend",
    "replace", "switch", "transfer", "submit", "trigger", "map", "link", "attach", "enforce", "reprocess",
    "increase", "decrease", "reduce", "improve", "optimize", "optimise", "prepare", "join", "sync", "recover",
    "resolve", "report", "capture", "collect", "post", "mine", "pack", "stake", "back", "contact",
    "request", "clone", "merge", "close", "reopen", "archive", "activate", "deactivate", "renew", "refresh",
];

/// Words that open a heading already worded as a question ("What is a token").
const QUESTION_WORDS: &[&str] =
    &["what", "why", "which", "who", "can", "does", "do", "is", "are", "should", "will", "how", "where"];

/// Headings that frame a page rather than name a topic.
#[rustfmt::skip]
const FRAMING: &[&str] = &[
    "overview", "introduction", "intro", "summary", "conclusion", "related", "related topics",
    "related pages", "related articles", "related resources", "see also", "next steps", "what's next",
    "whats next", "where to go next", "learn more", "more information", "more info", "resources",
    "references", "contents", "table of contents", "faq", "faqs", "frequently asked questions", "guides",
    "example", "examples", "note", "notes", "support", "help", "getting help", "contributing", "license",
    "changelog",
];

/// The question a reader would ask to reach a section titled `heading`.
pub fn question(heading: &str) -> Option<String> {
    let heading = clean(heading);
    let lower = heading.to_lowercase();
    if heading.is_empty() || heading.chars().count() > MAX_HEADING_CHARS || FRAMING.contains(&lower.as_str()) {
        return None;
    }
    if heading.ends_with('?') {
        return Some(capitalise(&heading));
    }
    if [", ", "; ", ". "].iter().any(|p| heading.contains(p)) {
        return None;
    }
    let mut words = heading.splitn(2, ' ');
    let first = words.next().unwrap_or_default().to_lowercase();
    let rest = words.next().unwrap_or_default();
    // "How to install", "Where to find logs": the task after "to".
    let task = rest.get(..3).filter(|p| p.eq_ignore_ascii_case("to ")).and_then(|_| rest.get(3..));
    if !rest.is_empty() {
        match (first.as_str(), task) {
            ("how", Some(task)) => return Some(format!("How do I {task}?")),
            ("where", Some(task)) => return Some(format!("Where do I {task}?")),
            ("when" | "if" | "after" | "once", _) => return Some(format!("What happens {first} {rest}?")),
            ("before" | "while" | "during", _) => return Some(format!("What should I know {first} {rest}?")),
            ("cannot" | "can't" | "unable", _) => return Some(format!("What if I {first} {rest}?")),
            _ => {}
        }
    }
    if QUESTION_WORDS.contains(&first.as_str()) {
        return Some(format!("{}?", capitalise(&heading)));
    }
    // "Enable or disable rows" is a task; "Access and subscription" is a topic.
    let rest_lower = rest.to_lowercase();
    let joined = ["and ", "or ", "& ", "vs ", "vs. "].iter().any(|c| {
        rest_lower.strip_prefix(c).is_some_and(|after| !VERBS.contains(&after.split(' ').next().unwrap_or_default()))
    });
    if VERBS.contains(&first.as_str()) && !rest.is_empty() && !joined {
        return Some(format!("How do I {}?", lower_first(&heading)));
    }
    if let Some(base) = gerund_base(&first).filter(|_| !rest.is_empty()) {
        return Some(format!("How do I {base} {rest}?"));
    }
    if first.ends_with("ing") && rest.is_empty() && first.chars().count() > 5 {
        return Some(format!("How does {} work?", lower_first(&heading)));
    }
    let plural = is_plural(heading.rsplit(' ').next().unwrap_or_default());
    let verb = if plural { "are" } else { "is" };
    let topic = if rest.is_empty() || !sentence_case(&heading) { heading } else { lower_first(&heading) };
    Some(format!("What {verb} {topic}?"))
}

/// The heading without the emoji, symbols and numbering around it ("3.4 CPU ⚙️" →
/// "CPU").
fn clean(heading: &str) -> String {
    let kept = |c: char| c.is_alphanumeric() || "?)]\"'`".contains(c);
    let text = heading.trim_start_matches(|c: char| !c.is_alphanumeric()).trim_end_matches(|c| !kept(c));
    let numbered = text.split_once(' ').filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let text = numbered.map_or(text, |(_, rest)| rest);
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric()).trim_end_matches(|c| !kept(c));
    // A closing qualifier in brackets ("Breakpad (deprecated)") is not the topic.
    let text = match text.rfind(" (") {
        Some(i) if text.ends_with(')') && i > 0 => &text[..i],
        _ => text,
    };
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if let Some(first) = words.first_mut() {
        *first = match *first {
            "The" => "the",
            "A" => "a",
            "An" => "an",
            other => other,
        };
    }
    words.join(" ")
}

/// The verb of a task heading in the gerund ("Creating" → "create", "Running" →
/// "run"), when it is one of `VERBS`.
fn gerund_base(word: &str) -> Option<&'static str> {
    let stem = word.strip_suffix("ing")?;
    let chars: Vec<char> = stem.chars().collect();
    let undoubled = match chars.as_slice() {
        [.., a, b] if a == b => chars[..chars.len() - 1].iter().collect(),
        _ => String::new(),
    };
    let candidates = [stem.to_string(), format!("{stem}e"), undoubled];
    VERBS.iter().find(|v| candidates.iter().any(|c| c == *v)).copied()
}

/// Whether a heading's last word is a plural noun ("headers", not "access" or "status").
fn is_plural(word: &str) -> bool {
    let w = word.to_lowercase();
    w.ends_with('s') && !["ss", "us", "is"].iter().any(|end| w.ends_with(end)) && w.chars().count() > 3
}

/// Whether a heading is in sentence case: no word after the first is capitalised.
fn sentence_case(heading: &str) -> bool {
    heading.split(' ').skip(1).all(|w| !w.starts_with(char::is_uppercase))
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
    let rest = chars.as_str();
    // An acronym or a name keeps its capitals ("API keys", "BugSplat plans").
    if rest.starts_with(char::is_uppercase) {
        text.to_string()
    } else {
        first + rest
    }
}

impl Engine {
    /// The question leading to section `id`, phrased from its heading (from its page's
    /// title for a page's opening section) the first time it is asked for and kept:
    /// none for a heading that gives no question or that `SHARED_HEADING_PAGES` pages
    /// or more share.
    fn section_question(&self, id: usize) -> Option<&str> {
        let phrase = || {
            let s = &self.store.sections[id];
            if self.shared_headings[id] {
                return None;
            }
            question(if s.heading.is_empty() { &self.meta.pages[s.page].title } else { &s.heading }).map(Box::from)
        };
        self.questions[id].get_or_init(phrase).as_deref()
    }

    /// Questions leading to the sections ranked after the answer's, each from its
    /// heading: first one headed section per page, then any (a page's opening
    /// section asks about the page title); never a heading many pages share.
    pub(super) fn follow_ups(
        &self,
        hits: &[rank::Hit],
        answered: Option<usize>,
        req: &Request<'_>,
    ) -> Vec<format::FollowUp> {
        let top = hits.first().map(|h| h.id);
        let candidates: Vec<(&rank::Hit, &str)> = hits
            .iter()
            .filter(|h| Some(h.id) != answered && Some(h.id) != top)
            .filter_map(|h| self.section_question(h.id).map(|q| (h, q)))
            .take(FOLLOW_UP_CANDIDATES)
            .filter(|(_, q)| !q.eq_ignore_ascii_case(req.question.trim()))
            .collect();
        let mut chosen: Vec<&(&rank::Hit, &str)> = Vec::new();
        for first_pass in [true, false] {
            for c in &candidates {
                let taken = |o: &&(&rank::Hit, &str)| o.1 == c.1 || first_pass && o.0.page == c.0.page;
                if chosen.len() < FOLLOW_UPS && !chosen.iter().any(taken) && !(first_pass && c.0.section == 0) {
                    chosen.push(c);
                }
            }
        }
        chosen
            .into_iter()
            .map(|(hit, question)| {
                let mut url = format!("{}?ask={}", self.twin_url(hit.page, ""), encode(question));
                if let Some(goal) = req.goal {
                    url.push_str(&format!("&goal={}", encode(goal)));
                }
                format::FollowUp { question: question.to_string(), url }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(heading: &str) -> Option<String> {
        question(heading)
    }

    #[test]
    fn task_headings_become_how_do_i() {
        assert_eq!(q("Rotate a key").as_deref(), Some("How do I rotate a key?"));
        assert_eq!(q("Creating an API token").as_deref(), Some("How do I create an API token?"));
        assert_eq!(q("Running the miner").as_deref(), Some("How do I run the miner?"));
        assert_eq!(q("How to install Axon Server").as_deref(), Some("How do I install Axon Server?"));
        assert_eq!(q("Grouping").as_deref(), Some("How does grouping work?"));
    }

    #[test]
    fn topic_headings_become_what_questions() {
        assert_eq!(q("Rate limit headers").as_deref(), Some("What are rate limit headers?"));
        assert_eq!(q("Public tracking page").as_deref(), Some("What is public tracking page?"));
        assert_eq!(q("API keys").as_deref(), Some("What are API keys?"));
        assert_eq!(q("Deprecated metrics").as_deref(), Some("What are deprecated metrics?"));
        assert_eq!(q("Slack").as_deref(), Some("What is Slack?"));
        assert_eq!(q("Team Plan Limits").as_deref(), Some("What are Team Plan Limits?"));
        assert_eq!(q("Access").as_deref(), Some("What is Access?"));
        assert_eq!(q("When you exceed the limit").as_deref(), Some("What happens when you exceed the limit?"));
        assert_eq!(q("Before you delete a token").as_deref(), Some("What should I know before you delete a token?"));
        assert_eq!(q("Cannot scale past 3 pods").as_deref(), Some("What if I cannot scale past 3 pods?"));
        assert_eq!(q("Access and Subscription").as_deref(), Some("What is Access and Subscription?"));
    }

    #[test]
    fn questions_stay_questions_and_framing_headings_give_none() {
        assert_eq!(q("What is a crash group").as_deref(), Some("What is a crash group?"));
        assert_eq!(q("Can I undo a deletion?").as_deref(), Some("Can I undo a deletion?"));
        assert_eq!(q("Related topics"), None);
        assert_eq!(q("🧑‍💻 Contributing"), None);
        assert_eq!(q("Next steps"), None);
        assert_eq!(q("Back in 2004, if you wanted a crash reporter, you built it"), None);
        assert_eq!(q("  "), None);
    }

    proptest::proptest! {
        #[test]
        fn any_heading_gives_a_question_or_none(heading in "\\PC{0,60}") {
            if let Some(q) = question(&heading) {
                proptest::prop_assert!(q.ends_with('?'));
            }
        }
    }

    #[test]
    fn numbering_and_emoji_are_dropped() {
        assert_eq!(q("3.4.1 CPU While Packing").as_deref(), Some("What is CPU While Packing?"));
        assert_eq!(q("Requirements 📋").as_deref(), Some("What are Requirements?"));
        assert_eq!(q("⚙️ Configure the SDK").as_deref(), Some("How do I configure the SDK?"));
        assert_eq!(q("Avoid collecting PII (personal data)").as_deref(), Some("How do I avoid collecting PII?"));
        assert_eq!(q("Breakpad (Deprecated)").as_deref(), Some("What is Breakpad?"));
        assert_eq!(q("The Ecosystem").as_deref(), Some("What is the Ecosystem?"));
        assert_eq!(q("Enable or Disable Saved Rows").as_deref(), Some("How do I enable or Disable Saved Rows?"));
    }
}
