fn main() -> std::process::ExitCode {
    apsched::cli::main()
}
