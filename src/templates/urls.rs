//! Filters for URLs a writer gives a component: `link_url` lets through only addresses a
//! link may safely have (no `javascript:`), and `video_embed` turns a YouTube or Vimeo
//! address into the privacy-friendly embed, the plain link and the provider's name.

use crate::messages::Message;
use crate::msg;
use tera::{Kwargs, State, Value};

/// The URL itself when it is `https://`, `http://`, `mailto:`, `tel:`, a path on the site or
/// an anchor; otherwise what is wrong.
pub fn link_url(url: &str) -> Result<String, Message> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let scheme_ok =
        ["https://", "http://", "mailto:", "tel:"].iter().any(|s| lower.starts_with(s) && lower.len() > s.len());
    let local = (u.starts_with('/') && !u.starts_with("//")) || u.starts_with('#');
    if (scheme_ok || local) && !u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(u.to_string())
    } else {
        Err(msg!("functions.bad_link_url", url = url))
    }
}

/// A video on YouTube or Vimeo.
#[derive(Debug, PartialEq, Eq)]
pub struct Video {
    /// `YouTube` or `Vimeo`.
    pub provider: &'static str,
    /// The host the player loads from once the reader clicks.
    pub host: &'static str,
    /// The player's address (cookie-free where the provider has one).
    pub embed: String,
    /// The video's page, for readers who prefer it (and for no JavaScript).
    pub link: String,
}

/// The video at `url`, or what is wrong.
pub fn video(url: &str) -> Result<Video, Message> {
    let bad = || msg!("functions.not_a_video", url = url);
    let rest = url.trim().strip_prefix("https://").or_else(|| url.trim().strip_prefix("http://")).ok_or_else(bad)?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.trim_start_matches("www.").trim_start_matches("m.").to_ascii_lowercase();
    let id_ok = |id: &str| {
        (6..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let youtube = |id: &str| {
        id_ok(id).then(|| Video {
            provider: "YouTube",
            host: "youtube-nocookie.com",
            embed: format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
            link: format!("https://www.youtube.com/watch?v={id}"),
        })
    };
    let first = |p: &str| p.split(['/', '?', '&', '#']).next().unwrap_or("").to_string();
    match host.as_str() {
        "youtube.com" | "youtube-nocookie.com" => {
            let id = if let Some(q) = path.strip_prefix("watch?") {
                q.split('&').find_map(|kv| kv.strip_prefix("v=")).map(first).unwrap_or_default()
            } else if let Some(p) = path
                .strip_prefix("embed/")
                .or_else(|| path.strip_prefix("shorts/"))
                .or_else(|| path.strip_prefix("live/"))
            {
                first(p)
            } else {
                String::new()
            };
            youtube(&id).ok_or_else(bad)
        }
        "youtu.be" => youtube(&first(path)).ok_or_else(bad),
        "vimeo.com" | "player.vimeo.com" => {
            let id = first(path.strip_prefix("video/").unwrap_or(path));
            (id.len() >= 6 && id.bytes().all(|b| b.is_ascii_digit()))
                .then(|| Video {
                    provider: "Vimeo",
                    host: "vimeo.com",
                    embed: format!("https://player.vimeo.com/video/{id}?dnt=1&autoplay=1"),
                    link: format!("https://vimeo.com/{id}"),
                })
                .ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

/// The hosts [`video`] embeds from, for the pages' Content-Security-Policy.
pub const EMBED_HOSTS: &[&str] = &["https://www.youtube-nocookie.com", "https://player.vimeo.com"];

/// The Content-Security-Policy of the site's pages: everything from the site itself, no
/// inline script (styles may be inline), frames only from the video hosts a reader chooses
/// to play, no plugins, no `<base>` elsewhere, forms only to the site.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; media-src 'self'; frame-src {}; object-src 'none'; \
         base-uri 'self'; form-action 'self'",
        EMBED_HOSTS.join(" ")
    )
}

/// Registers `link_url`, `video_embed` and `content_security_policy()`.
pub fn register(tera: &mut tera::Tera) {
    tera.register_function("content_security_policy", |_: Kwargs, _: &State<'_>| content_security_policy());
    tera.register_filter("link_url", |v: &str, _: Kwargs, _: &State<'_>| {
        link_url(v).map_err(|m| tera::Error::message(m.to_string()))
    });
    tera.register_filter("video_embed", |v: &str, _: Kwargs, _: &State<'_>| -> tera::TeraResult<Value> {
        let v = video(v).map_err(|m| tera::Error::message(m.to_string()))?;
        let map: tera::Map = [
            ("provider", Value::from(v.provider)),
            ("host", Value::from(v.host)),
            ("embed", Value::from(v.embed)),
            ("link", Value::from(v.link)),
        ]
        .into_iter()
        .map(|(k, v)| (k.into(), v))
        .collect();
        Ok(Value::from(map))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_link_addresses_pass() {
        for ok in ["https://ks.no/", "mailto:post@ks.no", "tel:+4712345678", "/om/", "#kontakt"] {
            assert_eq!(link_url(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "data:text/html,x",
            "//evil.example",
            "vbscript:x",
            "",
            "https://",
            "https://a b",
        ] {
            assert!(link_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_policy_lets_every_embed_through() {
        let csp = content_security_policy();
        for url in ["https://youtu.be/dQw4w9WgXcQ", "https://vimeo.com/123456789"] {
            let embed = video(url).unwrap().embed;
            assert!(EMBED_HOSTS.iter().any(|h| embed.starts_with(&format!("{h}/"))), "{embed}");
        }
        assert!(csp.contains("script-src 'self';") && !csp.contains("script-src 'self' 'unsafe"));
    }

    #[test]
    fn videos_from_youtube_and_vimeo() {
        let y = video("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s").unwrap();
        assert_eq!(y.embed, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1");
        assert_eq!(y.link, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
        assert_eq!(video("https://youtu.be/dQw4w9WgXcQ?si=abc").unwrap(), y);
        assert_eq!(video("https://www.youtube.com/embed/dQw4w9WgXcQ").unwrap(), y);
        let v = video("https://vimeo.com/76979871").unwrap();
        assert_eq!(v.embed, "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1");
        for bad in [
            "https://evil.example/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/\"><script>",
            "youtube.com/watch?v=x",
            "https://vimeo.com/abc",
        ] {
            assert!(video(bad).is_err(), "{bad}");
        }
    }
}
