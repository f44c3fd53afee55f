//! Sanitize: cleans raw HTML from content with ammonia before it is written into a page.

use std::collections::HashSet;

/// Cleans HTML that holds raw HTML from content: keeps what GitBook renders (text
/// formatting, figures, details, tables, images, media, marks) and the markup docask
/// itself writes around it; drops scripts, event handlers, frames, forms, styles but
/// alignment and colours, and URLs with a script-running scheme.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["picture", "source", "video", "audio", "track", "input", "section", "button"])
            .add_generic_attributes(["class", "id", "role", "tabindex", "hidden", "style", "align", "width", "height"])
            .add_generic_attribute_prefixes(["aria-", "data-"])
            .add_tag_attributes("img", ["loading", "srcset", "sizes"])
            .add_tag_attributes("source", ["src", "srcset", "type", "media"])
            .add_tag_attributes("video", ["src", "controls", "poster", "loop", "muted", "playsinline"])
            .add_tag_attributes("audio", ["src", "controls", "loop", "muted"])
            .add_tag_attributes("track", ["src", "kind", "label", "srclang"])
            .add_tag_attributes("input", ["checked", "disabled"])
            .add_tag_attribute_values("button", "type", ["button"])
            .add_tag_attributes("a", ["download", "rel", "target", "name"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .filter_style_properties(HashSet::from(["text-align", "color", "background-color"]))
            .link_rel(None)
            .strip_comments(true);
        Sanitizer { builder }
    }
}

impl Sanitizer {
    /// The cleaned HTML.
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizer_keeps_gitbook_markup_and_drops_scripts() {
        let s = Sanitizer::default();
        let out = s.clean("<figure><img src=\"a.png\" alt=\"A\" onerror=\"x()\"><figcaption><p>Cap</p></figcaption></figure><script>bad()</script><a href=\"javascript:x\">j</a><details><summary>Q</summary>A</details><td style=\"text-align: center; color: red\">c</td>");
        assert!(
            out.contains("<figure><img src=\"a.png\" alt=\"A\"><figcaption><p>Cap</p></figcaption></figure>"),
            "{out}"
        );
        assert!(!out.contains("onerror") && !out.contains("bad()") && !out.contains("javascript"), "{out}");
        assert!(out.contains("<details><summary>Q</summary>A</details>"), "{out}");
        let ours = "<h2 id=\"a\">A<a class=\"heading-anchor\" href=\"#a\" aria-label=\"Link\">#</a></h2>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li>\n</ul>\n";
        assert_eq!(s.clean(ours), ours);
        // API reference generators anchor with `<a name>`: kept for links to land.
        assert!(s.clean("<a name=\"Widget.create\"></a>").contains("name=\"Widget.create\""));
    }
}
