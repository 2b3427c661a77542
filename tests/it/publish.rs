//! The ready-made CI workflows: the build steps of `.github/workflows/publish.yml` and
//! `.gitlab-ci.yml` are taken out of the files and run as the CI runners would run them, on
//! a copy of the bundled site (with the test's binary instead of a release build).

use crate::support::copy_dir;
use std::path::Path;
use std::process::Command;

/// A copy of the repository's site, scripts and workflow files.
fn repo_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "assets", ".ci", ".github"] {
        copy_dir(&repo.join(part), &tmp.path().join(part));
    }
    for file in ["site.toml", ".gitlab-ci.yml"] {
        std::fs::copy(repo.join(file), tmp.path().join(file)).unwrap();
    }
    tmp
}

/// The shell commands of a workflow's build steps: GitHub's `run:` lines, GitLab's
/// `script:` items.
fn steps(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_script = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(cmd) = t.strip_prefix("run: ") {
            out.push(cmd.to_string());
        }
        if t == "script:" {
            in_script = true;
            continue;
        }
        if in_script {
            match t.strip_prefix("- ") {
                Some(cmd) => out.push(cmd.to_string()),
                None if t.starts_with('#') => {}
                None => in_script = false,
            }
        }
    }
    out
}

fn run(dir: &Path, cmd: &str, base_url: &str) -> std::process::Output {
    Command::new("bash")
        .arg("-c")
        .arg(cmd.replace("${{ steps.pages.outputs.base_url }}", base_url))
        .current_dir(dir)
        .env("JOBBVINNER_BIN", env!("CARGO_BIN_EXE_jobbvinner"))
        .env("CI_PAGES_URL", base_url)
        .env_remove("JOBBVINNER_MESSAGES")
        .output()
        .unwrap()
}

#[test]
fn the_workflows_build_steps_publish_the_site_under_the_pages_address() {
    for (file, base) in [
        (".github/workflows/publish.yml", "https://kommune.github.io/jobbvinner"),
        (".gitlab-ci.yml", "https://kommune.gitlab.io/jobbvinner"),
    ] {
        let site = repo_copy();
        let text = std::fs::read_to_string(site.path().join(file)).unwrap();
        let cmds = steps(&text);
        assert!(!cmds.is_empty() && cmds.iter().all(|c| c.starts_with(".ci/build-site ")), "{file}: {cmds:?}");
        assert!(text.contains("path: public") || text.contains("paths: [public]"), "{file} publishes public/");
        for cmd in &cmds {
            let out = run(site.path(), cmd, base);
            assert!(out.status.success(), "{file}: {cmd}: {}", String::from_utf8_lossy(&out.stderr));
            let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
            assert!(home.contains(&format!("href=\"{base}/tips/\"")), "{file}: links under the Pages address");
            assert!(String::from_utf8_lossy(&out.stdout).starts_with("Bygde "), "{file}: the summary in bokmål");
            std::fs::remove_dir_all(site.path().join("public")).unwrap();
        }
        // A writer's mistake: the job fails, says where in Norwegian, and publishes nothing.
        std::fs::write(site.path().join("content/tips/feil.md"), "+++\ntitle = \"Feil\"\ndate = 9. juni 2023\n+++\n")
            .unwrap();
        let out = run(site.path(), &cmds[0], base);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{file}");
        assert!(
            err.contains("content/tips/feil.md:3:8: `9. juni 2023` er ikke en dato: skriv date = 2023-06-09"),
            "{err}"
        );
        assert!(!site.path().join("public").exists(), "{file}: nothing published");
    }
}
