// Many small allocations (JSON views, template contexts) dominate rendering; mimalloc is
// markedly faster than glibc malloc for that pattern across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(jobbvinner::cli::run_with_args(std::env::args_os()));
}
