//! Regenerates `generated/` from `spec/openapi.yaml` before this package (whose library
//! is `generated/src/lib.rs`) compiles, so one `cargo build` after a spec edit compiles
//! the new bindings. See ARCHITECTURE.md.

fn main() {
    // The generator is a build-dependency: when it changes, Cargo rebuilds and reruns
    // this script by itself. The spec is the only other input.
    println!("cargo:rerun-if-changed=spec/openapi.yaml");
    println!("cargo:rerun-if-changed=build.rs");

    // Build scripts run in the package root, so these relative paths are also the labels
    // the files' headers show: the same bytes as the CLI writes from the root.
    let settings = openapi_rustgen::Settings::new("spec/openapi.yaml", "generated");
    match settings.generate() {
        Ok(report) => {
            // Cargo takes one line per `cargo:warning`, so a located warning (its
            // `file:line:col` line, then the source line under it) is printed line by line.
            for warning in &report.warnings {
                // Cargo already prefixes each line with `warning: <package>:`.
                for line in warning.render(settings.spec_path()).lines() {
                    println!("cargo:warning={line}");
                }
            }
        }
        Err(error) => {
            // Cargo shows a failing build script's stderr; nothing was written.
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
