//! The ask response: the JSON shape of DESIGN.md ("Ask") and its Markdown rendering.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::markdown::markup::escape_inline;

/// The whole answer to a question.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Response {
    /// The question as asked.
    pub question: String,
    /// The goal, if given.
    pub goal: Option<String>,
    /// The direct answer, `None` when the docs do not answer.
    pub answer: Option<DirectAnswer>,
    /// The best sections, trimmed around the matching words.
    pub excerpts: Vec<Excerpt>,
    /// Unique pages, best first.
    pub sources: Vec<Source>,
    /// Questions drawn from related sections.
    pub follow_ups: Vec<FollowUp>,
    /// Names in the question that the docs never use (why there is no answer); left
    /// out of the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmentioned: Vec<String>,
}

/// The direct answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DirectAnswer {
    /// Quoted Markdown ending with the source link.
    pub markdown: String,
    /// Where it comes from.
    pub source: SectionRef,
}

/// A section reference.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SectionRef {
    /// Page title.
    pub title: String,
    /// Section heading (the page title for a page's own section).
    pub section: String,
    /// `.md` URL with anchor.
    pub url: String,
}

/// An excerpt of a section.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Excerpt {
    /// Page title.
    pub title: String,
    /// Section heading.
    pub section: String,
    /// `.md` URL with anchor.
    pub url: String,
    /// Trimmed text.
    pub text: String,
    /// Ranking score.
    pub score: f32,
}

/// A source page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// Page title.
    pub title: String,
    /// `.md` URL.
    pub url: String,
}

/// A suggested next question.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FollowUp {
    /// The question.
    pub question: String,
    /// Ask URL on the page it comes from.
    pub url: String,
}

/// The text of a missing answer.
pub const NO_ANSWER: &str = "No answer found in this documentation.";

impl Response {
    /// The Markdown rendering.
    pub fn markdown(&self) -> String {
        // A response runs to a few kilobytes: room for them at once, not by doublings.
        let mut out = String::with_capacity(4096);
        let _ = write!(out, "# {}\n\n", escape_inline(&self.question));
        match &self.answer {
            Some(a) => {
                out.push_str(a.markdown.trim_end());
                out.push_str("\n\n");
            }
            None => {
                let _ = writeln!(out, "{NO_ANSWER}\n");
                if let Some(why) = self.why_no_answer() {
                    let _ = writeln!(out, "{}\n", escape_inline(&why));
                }
                if !self.sources.is_empty() {
                    out.push_str("The nearest pages are listed below.\n\n");
                }
            }
        }
        if !self.excerpts.is_empty() {
            out.push_str("## Excerpts\n\n");
            for e in &self.excerpts {
                let _ = writeln!(out, "> {}\n>\n> — [{} › {}]({})\n", e.text, e.title, e.section, e.url);
            }
        }
        if !self.follow_ups.is_empty() {
            out.push_str("# Suggested Follow-up Questions:\n\n");
            for f in &self.follow_ups {
                let _ = writeln!(out, "- [{}]({})", escape_inline(&f.question), f.url);
            }
            out.push('\n');
        }
        out.push_str("# Sources:\n\n");
        for s in &self.sources {
            let _ = writeln!(out, "- [{}]({})", s.title, s.url);
        }
        out
    }

    /// Why the docs give no answer, when the question names what they never mention:
    /// "The documentation never mentions Flutter."
    pub fn why_no_answer(&self) -> Option<String> {
        let names = self.unmentioned.as_slice();
        let listed = match names {
            [] => return None,
            [one] => one.clone(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        };
        Some(format!("The documentation never mentions {listed}."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(answer: bool) -> Response {
        Response {
            question: "how do I delete a token".into(),
            goal: None,
            answer: answer.then(|| DirectAnswer {
                markdown: "1. Go to **Settings**.\n\n— [Delete › Steps](/d.md#steps)".into(),
                source: SectionRef { title: "Delete".into(), section: "Steps".into(), url: "/d.md#steps".into() },
            }),
            excerpts: vec![Excerpt {
                title: "Delete".into(),
                section: "Steps".into(),
                url: "/d.md#steps".into(),
                text: "Go to Settings".into(),
                score: 1.5,
            }],
            sources: vec![Source { title: "Delete".into(), url: "/d.md".into() }],
            follow_ups: vec![FollowUp {
                question: "How do I edit a token?".into(),
                url: "/d.md?ask=How%20do%20I%20edit%20a%20token%3F".into(),
            }],
            unmentioned: Vec::new(),
        }
    }

    #[test]
    fn markdown_has_the_design_headings() {
        insta::assert_snapshot!(sample(true).markdown());
    }

    #[test]
    fn markdown_without_answer_says_so() {
        let md = sample(false).markdown();
        assert!(md.contains(NO_ANSWER));
        assert!(md.contains("# Sources:\n\n- [Delete](/d.md)"));
    }

    #[test]
    fn a_missing_answer_names_what_the_docs_never_mention() {
        let mut r = sample(false);
        r.unmentioned = vec!["Flutter".into(), "Dart".into(), "FlutterFlow".into()];
        assert!(r.markdown().contains("The documentation never mentions Flutter, Dart or FlutterFlow."));
        assert!(serde_json::to_string(&r).unwrap().contains(r#""unmentioned":["Flutter","Dart","FlutterFlow"]"#));
        assert!(!serde_json::to_string(&sample(false)).unwrap().contains("unmentioned"));
    }

    #[test]
    fn json_has_the_design_shape() {
        insta::assert_json_snapshot!(sample(true));
    }
}
