fn main() {
    std::process::exit(jobbvinner::cli::run_with_args(std::env::args_os()));
}
