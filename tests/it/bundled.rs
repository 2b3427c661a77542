//! The bundled Jobbvinner site builds with no errors.

use crate::support::copy_dir;
use jobbvinner::build::{build, BuildOptions, Target};
use std::path::Path;

#[test]
fn bundled_site_builds() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "assets"] {
        copy_dir(&repo.join(part), &tmp.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
    let opts = BuildOptions { root: tmp.path().to_path_buf(), base_url: None, drafts: false };
    let report = build(&opts, Target::Disk(tmp.path().join("public"))).unwrap_or_else(|d| panic!("{d}"));
    assert!(report.stats.pages >= 50, "{report:?}");
    let home = std::fs::read_to_string(tmp.path().join("public/index.html")).unwrap();
    assert!(home.contains("<html lang=\"nb\""));
    assert!(tmp.path().join("public/tilgjengelighetserklaering/index.html").exists());
    assert!(tmp.path().join("public/404.html").exists());
    // The theme's rendering of one real tip, as a reviewed snapshot.
    let tip = std::fs::read_to_string(tmp.path().join("public/tips/studenter-i-par/index.html")).unwrap();
    insta::assert_snapshot!("bundled_tip_main", crate::support::main_of(&tip));
}
