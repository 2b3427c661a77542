//! Builds a site with the system allocator, for heap profilers (`valgrind --tool=massif`).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opts = jobbvinner::build::BuildOptions::new(&args[1]);
    let out = std::path::PathBuf::from(&args[2]);
    let r = jobbvinner::build::build(&opts, jobbvinner::build::Target::Disk(out));
    println!("{:?}", r.map(|r| r.stats.pages));
}
