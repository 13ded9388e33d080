//! Bad specs: each one fails with the file, the place in it and what was expected, the
//! CLI exits non-zero, and the output folder is left exactly as it was.

use openapi_rustgen::Settings;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Every file under `dir` with its bytes, to compare a folder before and after.
fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                files.insert(path.display().to_string(), bytes);
            }
        }
    }
    files
}

/// Generates from `spec` (written as `file_name`) into a folder that already holds a
/// crate, and returns the error message after checking that nothing was written.
fn error_for(file_name: &str, spec: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec_path = dir.path().join(file_name);
    std::fs::write(&spec_path, spec).expect("write spec");
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("src")).expect("create out");
    std::fs::write(out.join("src/lib.rs"), "// hand-written, must survive\n").expect("write");
    std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"kept\"\n").expect("write");
    let before = snapshot_dir(&out);

    let error = Settings::new(&spec_path, &out)
        .generate()
        .expect_err("a bad spec must not generate");
    assert_eq!(
        snapshot_dir(&out),
        before,
        "the output folder changed although generation failed"
    );

    let cli = Command::new(env!("CARGO_BIN_EXE_openapi-rustgen"))
        .args(["generate", "--spec"])
        .arg(&spec_path)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run the CLI");
    assert!(!cli.status.success(), "the CLI exited 0 on a bad spec");
    assert_eq!(
        snapshot_dir(&out),
        before,
        "the CLI changed the output folder"
    );

    let message = error.to_string();
    let spec_text = spec_path.display().to_string();
    assert!(
        message.starts_with(&spec_text),
        "the message does not start with the spec's path:\n{message}"
    );
    assert!(
        String::from_utf8_lossy(&cli.stderr).contains(&spec_text),
        "the CLI did not name the spec:\n{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    // Compared without the temp folder, which differs between runs.
    message.replace(&spec_text, "SPEC")
}

const INFO: &str = "info: {title: t, version: '1'}\n";

#[test]
fn malformed_yaml() {
    let e = error_for("spec.yaml", b"openapi: 3.0.3\ninfo: {title: t\npaths: {}\n");
    assert!(e.starts_with("SPEC:3:"), "{e}");
    assert!(e.contains("not valid YAML or JSON"), "{e}");
}

#[test]
fn json_syntax_error() {
    let e = error_for(
        "spec.json",
        b"{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\" \"version\": \"1\"},\n  \"paths\": {}\n}\n",
    );
    assert!(e.starts_with("SPEC:3:"), "{e}");
    assert!(e.contains("not valid YAML or JSON"), "{e}");
}

#[test]
fn empty_file() {
    let e = error_for("spec.yaml", b"");
    assert!(e.starts_with("SPEC:1:1: the file is empty"), "{e}");
    assert!(e.contains("expected an OpenAPI 3 document"), "{e}");
}

#[test]
fn binary_file() {
    let e = error_for(
        "spec.yaml",
        &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0],
    );
    assert!(e.starts_with("SPEC:1:1: the file is not UTF-8"), "{e}");
}

#[test]
fn swagger_two() {
    let e = error_for(
        "spec.yaml",
        format!("swagger: '2.0'\n{INFO}paths: {{}}\n").as_bytes(),
    );
    assert!(
        e.starts_with("SPEC:1:1: this is a Swagger 2.0 document"),
        "{e}"
    );
    assert!(e.contains("expected OpenAPI 3.0 or 3.1"), "{e}");
    assert!(e.contains("1 | swagger: '2.0'"), "{e}");
    assert!(e.contains("= at /swagger"), "{e}");
}

#[test]
fn unresolvable_ref() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner:\n          $ref: '#/components/schemas/Owner'\n"
    );
    let e = error_for("spec.yaml", spec.as_bytes());
    assert!(
        e.contains("SPEC:9:9: $ref `#/components/schemas/Owner` does not resolve"),
        "{e}"
    );
    assert!(e.contains("9 |         owner:"), "{e}");
    assert!(
        e.contains("= at /components/schemas/Pet/properties/owner"),
        "{e}"
    );
}

#[test]
fn ref_cycle_not_through_an_object() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n"
    );
    let e = error_for("spec.yaml", spec.as_bytes());
    assert!(
        e.contains("$ref cycle that never passes through an object"),
        "{e}"
    );
    assert!(e.contains("= at /components/schemas/"), "{e}");
    assert!(e.contains("SPEC:6:5: ") || e.contains("SPEC:8:5: "), "{e}");
}

#[test]
fn duplicate_operation_ids() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      operationId: list\n      responses: {{'204': {{description: ok}}}}\n  /b:\n    get:\n      operationId: list\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let e = error_for("spec.yaml", spec.as_bytes());
    assert!(
        e.contains("SPEC:10:7: duplicate operationId `list` (also used at /paths/~1a/get)"),
        "{e}"
    );
    assert!(e.contains("10 |       operationId: list"), "{e}");
    assert!(e.contains("= at /paths/~1b/get/operationId"), "{e}");
}

#[test]
fn parameter_without_schema() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      parameters:\n        - name: limit\n          in: query\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let e = error_for("spec.yaml", spec.as_bytes());
    assert!(
        e.starts_with("SPEC:7:11: not a valid OpenAPI 3 object: a parameter needs a `schema`"),
        "{e}"
    );
    assert!(e.contains("= at /paths/~1a/get/parameters/0"), "{e}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{'204': {{description: ok}}}}\n    post:\n      operationId: same\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Pet:\n      properties:\n        owner: {{$ref: '#/components/schemas/Nope'}}\n"
    );
    let e = error_for("spec.yaml", spec.as_bytes());
    assert!(e.contains("2 problem(s)"), "{e}");
}

/// A spec whose only schema is `body` (YAML flow text) under `components.schemas.Deep`.
fn spec_with_schema(body: &str) -> String {
    format!("openapi: 3.0.3\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    Deep: {body}\n")
}

#[test]
fn alias_bomb_fails_fast_at_the_alias() {
    // 25 KB of text that would expand to 25 million nodes (2.2 GB, minutes) if
    // aliases were copied without a bound.
    let items = vec!["1"; 5_000].join(",");
    let refs = vec!["*a"; 5_000].join(",");
    let spec = format!(
        "openapi: 3.0.3\n{INFO}paths: {{}}\nx-bomb:\n  anchor: &a [{items}]\n  refs: [{refs}]\n"
    );
    let started = std::time::Instant::now();
    let e = error_for("spec.yaml", spec.as_bytes());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert!(e.starts_with("SPEC:6:"), "{e}");
    assert!(
        e.contains("aliases expand to more than 1000000 nodes"),
        "{e}"
    );
    assert!(e.contains("= at /x-bomb/refs/"), "{e}");
}

#[test]
fn five_thousand_deep_one_of_is_a_located_error() {
    let depth = 5_000;
    let body = format!(
        "{}{{type: string}}{}",
        "{oneOf: [".repeat(depth),
        "]}".repeat(depth)
    );
    let e = error_for("spec.yaml", spec_with_schema(&body).as_bytes());
    // YAML's flow nesting (`[`/`{`) is also bounded by the parser itself, past ours.
    assert!(e.starts_with("SPEC:6:"), "{e}");
    assert!(e.contains("nests deeper than 128 levels"), "{e}");
    assert!(e.contains("= at /components/schemas/Deep/oneOf"), "{e}");
}

#[test]
fn five_thousand_deep_items_is_a_located_error() {
    let depth = 5_000;
    let body = format!(
        "{}{{type: string}}{}",
        "{type: array, items: ".repeat(depth),
        "}".repeat(depth)
    );
    let e = error_for("spec.yaml", spec_with_schema(&body).as_bytes());
    // Column 2636 is the 129th container: 5 above `Deep`, then 124 levels of `items`.
    assert!(e.starts_with("SPEC:6:2636: "), "{e}");
    assert!(e.contains("nests deeper than 128 levels"), "{e}");
}

/// Runs the whole pipeline in this process (an abort would kill the test binary) and
/// accepts either a crate or a located error.
fn crate_or_located_error(spec: &str) {
    match Settings::new("deep.yaml", "out").render_bytes(spec.as_bytes()) {
        Ok(rendered) => assert!(rendered.files.iter().any(|f| f.path == "src/models.rs")),
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("deep.yaml:"), "{message}");
            let first = message.lines().next().unwrap_or_default();
            let place: Vec<&str> = first.splitn(4, ':').collect();
            assert!(
                place.len() == 4
                    && place[1].parse::<usize>().is_ok()
                    && place[2].parse::<usize>().is_ok(),
                "not located at line:col: {message}"
            );
        }
    }
}

#[test]
fn deeply_nested_lists_and_maps_give_a_crate_or_a_located_error() {
    for depth in [52, 100, 127, 200] {
        // As example data (a value of any shape), and as the spec's own structure.
        let lists = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let maps = format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth));
        for example in [&lists, &maps] {
            crate_or_located_error(&spec_with_schema(&format!(
                "{{type: object, example: {example}}}"
            )));
            crate_or_located_error(&format!(
                "openapi: 3.0.3\n{INFO}paths: {{}}\nx-data: {example}\n"
            ));
        }
        let items = format!(
            "{}{{type: string}}{}",
            "{type: array, items: ".repeat(depth),
            "}".repeat(depth)
        );
        crate_or_located_error(&spec_with_schema(&items));
        let properties = format!(
            "{}{{type: string}}{}",
            "{type: object, properties: {p: ".repeat(depth),
            "}}".repeat(depth)
        );
        crate_or_located_error(&spec_with_schema(&properties));
        let one_of = format!(
            "{}{{type: string}}{}",
            "{oneOf: [".repeat(depth),
            "]}".repeat(depth)
        );
        crate_or_located_error(&spec_with_schema(&one_of));
        let all_of = format!(
            "{}{{type: string}}{}",
            "{allOf: [".repeat(depth),
            "]}".repeat(depth)
        );
        crate_or_located_error(&spec_with_schema(&all_of));
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let spec = format!("\u{feff}openapi: 3.0.3\n{INFO}paths: {{}}\n");
    let rendered = Settings::new("bom.yaml", "out").render_bytes(spec.as_bytes());
    assert!(
        rendered.is_ok(),
        "{}",
        rendered.err().map(|e| e.to_string()).unwrap_or_default()
    );
}

#[test]
fn problems_in_members_normalizing_moved_point_at_the_source_member() {
    // The null member is dropped before lowering, so lowering's `oneOf/1` is the
    // source's third member, not its second.
    let spec = format!(
        "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      oneOf:\n        - type: 'null'\n        - type: string\n        - $ref: '#/components/schemas/Nope'\n"
    );
    let e = error_for("spec.yaml", spec.as_bytes());
    assert!(
        e.contains("SPEC:10:11: $ref `#/components/schemas/Nope` does not resolve"),
        "{e}"
    );
    assert!(e.contains("= at /components/schemas/Pet/oneOf/2"), "{e}");
}

#[test]
fn a_spec_over_the_size_limit_is_refused_before_parsing() {
    let limit = usize::try_from(openapi_rustgen::limits::MAX_INPUT_BYTES).expect("fits");
    let mut spec = format!("openapi: 3.0.3\n{INFO}paths: {{}}\nx-padding: ").into_bytes();
    let padding_starts = spec.len();
    spec.resize(limit + 1024, b'a');
    let e = error_for("spec.yaml", &spec);
    // Placed at the first byte past the limit, on the padding's line.
    let column = limit - (padding_starts - "x-padding: ".len()) + 1;
    assert!(
        e.starts_with(&format!("SPEC:4:{column}: the spec is larger than 64 MiB")),
        "{}",
        &e[..e.len().min(300)]
    );
}
