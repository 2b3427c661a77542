//! Times the markdown stage alone over a folder of markdown files (one thread), for tuning.
//! `cargo run --release --example mdbench -- /dev/shm/corpus10k/jobbvinner/content`
use jobbvinner::markdown::{render, LinkResolver, Options};
use jobbvinner::messages::Message;

struct NoLinks;
impl LinkResolver for NoLinks {
    fn resolve(&self, target: &str) -> Result<String, Message> {
        Ok(format!("/{target}"))
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("folder");
    let mut texts = Vec::new();
    for e in walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
        if e.path().extension().is_some_and(|x| x == "md") {
            let t = std::fs::read_to_string(e.path()).unwrap();
            let body = t.splitn(3, "+++").nth(2).unwrap_or("").to_string();
            texts.push(body);
        }
    }
    baseline(&texts);
    let opts = Options::for_language("nb");
    for round in 0..3 {
        let t = std::time::Instant::now();
        let mut bytes = 0;
        for text in &texts {
            bytes += render(text, &opts, &NoLinks).html.len();
        }
        println!(
            "round {round}: {} texts, {:.0} ms, {bytes} bytes of HTML",
            texts.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}

#[allow(dead_code)]
fn baseline(texts: &[String]) {
    use pulldown_cmark::{Options as O, Parser};
    let flags = O::ENABLE_TABLES
        | O::ENABLE_FOOTNOTES
        | O::ENABLE_STRIKETHROUGH
        | O::ENABLE_TASKLISTS
        | O::ENABLE_SMART_PUNCTUATION
        | O::ENABLE_HEADING_ATTRIBUTES;
    let t = std::time::Instant::now();
    let mut bytes = 0;
    for text in texts {
        let mut s = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut s, Parser::new_ext(text, flags));
        bytes += s.len();
    }
    println!("baseline pulldown-cmark: {:.0} ms, {bytes} bytes", t.elapsed().as_secs_f64() * 1000.0);
    let t = std::time::Instant::now();
    let mut n = 0;
    for text in texts {
        n += Parser::new_ext(text, flags).count();
    }
    println!("parse only: {:.0} ms, {n} events", t.elapsed().as_secs_f64() * 1000.0);
}
