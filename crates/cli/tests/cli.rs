//! The `waakvlam` binary as an operator uses it: each test runs the real
//! binary against its own SQLite file in a temporary directory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_waakvlam");

/// The header of an indications import.
const INDICATIONS_HEADER: &str = "bsn,birth_date,family_name,given_names,municipality_code,product_code,provider_agb,issued_on,start_date,end_date,planned_scale_down_date";

const PROVIDERS: &str =
    "agb_code,name\n75751001,Zeeuwse Zorgcoöperatie\n75752002,Stichting Scheldekracht\n";

/// A finished run of the binary.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    fn success(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts a failure whose standard error says `needle`.
    #[track_caller]
    fn fails_with(&self, needle: &str) -> &Run {
        assert!(
            self.code.is_some_and(|c| c != 0),
            "expected failure, got {:?}\nstdout:\n{}\nstderr:\n{}",
            self.code,
            self.stdout,
            self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "stderr should mention {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// A temporary directory with one SQLite database.
struct Env {
    dir: TempDir,
    url: String,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        Env { dir, url }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("WAAKVLAM_DATABASE_URL")
            .env_remove("WAAKVLAM_ADDR")
            .env("WAAKVLAM_LOG", "warn");
        cmd
    }

    /// Runs the binary with `args`, nothing on standard input.
    fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).stdin(Stdio::null()).output().unwrap())
    }

    /// Runs the binary with `args` and `--database-url` of this environment.
    fn db(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend(["--database-url", &self.url]);
        self.run(&all)
    }

    /// `user add …` with `stdin` as standard input.
    fn user_add(&self, args: &[&str], stdin: &str) -> Run {
        let mut all = vec!["user", "add"];
        all.extend(args);
        all.extend(["--database-url", &self.url]);
        let mut child = self
            .command(&all)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The binary may exit before reading (bad arguments): ignore a broken pipe.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        Run::from(child.wait_with_output().unwrap())
    }

    fn import(&self, what: &str, file: &Path) -> Run {
        self.db(&["import", what, file.to_str().unwrap()])
    }

    fn report_json(&self, year: i32) -> serde_json::Value {
        let run = self.db(&[
            "report",
            "indications",
            "--year",
            &year.to_string(),
            "--format",
            "json",
        ]);
        run.success();
        serde_json::from_str(run.stdout.trim()).unwrap()
    }

    fn total(&self, year: i32) -> u64 {
        self.report_json(year)["total"].as_u64().unwrap()
    }

    fn with_providers(&self) {
        let file = self.write("providers.csv", PROVIDERS);
        self.import("providers", &file).success();
    }
}

fn indications_file(lines: &[&str]) -> String {
    let mut s = String::from(INDICATIONS_HEADER);
    s.push('\n');
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------
// Help and migrate
// ---------------------------------------------------------------------------

#[test]
fn every_command_has_help() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &[],
        &["serve"],
        &["demo"],
        &["migrate"],
        &["user"],
        &["user", "add"],
        &["import"],
        &["import", "providers"],
        &["import", "residents"],
        &["import", "indications"],
        &["report"],
        &["report", "indications"],
        &["audit"],
        &["audit", "head"],
        &["audit", "verify"],
        &["iwmo"],
        &["iwmo", "export"],
        &["iwmo", "import"],
        &["declare"],
        &["backup"],
        &["restore"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let run = env.run(&args);
        run.success();
        assert!(
            run.stdout.contains("Usage: waakvlam"),
            "{args:?}:\n{}",
            run.stdout
        );
    }
    // The options an operator needs are described.
    assert!(
        env.run(&["serve", "--help"])
            .stdout
            .contains("--database-url")
    );
    assert!(env.run(&["demo", "--help"]).stdout.contains("--addr"));
    let user = env.run(&["user", "add", "--help"]).stdout;
    for option in ["--email", "--name", "--role", "--organisation"] {
        assert!(user.contains(option), "{option}:\n{user}");
    }
    assert!(user.contains("team_lead"));
    assert!(
        env.run(&["import", "indications", "--help"])
            .stdout
            .contains("planned_scale_down_date")
    );
    let report = env.run(&["report", "indications", "--help"]).stdout;
    for option in ["--year", "--product", "--municipality", "--format"] {
        assert!(report.contains(option), "{option}:\n{report}");
    }
    env.run(&["--version"]).success();
    // No command at all is a usage error, not a crash.
    let none = env.run(&[]);
    assert_ne!(none.code, Some(0));
    assert!(none.stderr.contains("Usage"), "{}", none.stderr);
    // No database was created by asking for help.
    assert!(!env.path("waakvlam.db").exists());
}

#[test]
fn audit_verify_checks_the_access_log_chain_against_an_exported_head() {
    let env = Env::new();
    env.with_providers();
    let head = env.db(&["audit", "head"]);
    head.success();
    let hash = head
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("head: "))
        .unwrap()
        .to_owned();
    let ok = env.db(&["audit", "verify", "--head", &hash]);
    ok.success();
    assert!(ok.stdout.contains("access log intact"), "{}", ok.stdout);
    // A head that is not in the chain (entries cut off the end) fails, saying so.
    env.db(&["audit", "verify", "--head", "0000"])
        .fails_with("entries were removed from the end");
}

#[test]
fn migrate_creates_the_database() {
    let env = Env::new();
    assert!(!env.path("t.db").exists());
    let run = env.db(&["migrate"]);
    run.success();
    assert!(run.stdout.contains("migrations applied"), "{}", run.stdout);
    assert!(env.path("t.db").exists());
    // Again: nothing to do, still fine.
    env.db(&["migrate"]).success();
    // The new database has the reference data: the catalogue and municipalities.
    assert_eq!(env.total(2025), 0);
    for product in ["BTS", "BT", "WVL"] {
        env.db(&[
            "report",
            "indications",
            "--year",
            "2025",
            "--product",
            product,
        ])
        .success();
    }
}

#[test]
fn bad_database_urls_fail_clearly() {
    let env = Env::new();
    env.run(&["migrate", "--database-url", "mysql://x"])
        .fails_with("invalid database URL mysql://x")
        .fails_with("sqlite://");
    env.run(&[
        "migrate",
        "--database-url",
        "sqlite:///no/such/directory/t.db",
    ])
    .fails_with("cannot reach the database at sqlite:///no/such/directory/t.db");
    // The same message from other commands.
    env.run(&[
        "report",
        "indications",
        "--year",
        "2025",
        "--database-url",
        "mysql://x",
    ])
    .fails_with("invalid database URL");
}

#[test]
fn an_unreachable_postgres_fails_clearly_without_showing_the_password() {
    let env = Env::new();
    let started = Instant::now();
    let run = env.run(&[
        "migrate",
        "--database-url",
        "postgres://nobody:s3cret@127.0.0.1:1/x",
    ]);
    run.fails_with("cannot reach the database at postgres://nobody:***@127.0.0.1:1/x");
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "took {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

#[test]
fn user_add_creates_an_account_once() {
    let env = Env::new();
    let args = [
        "--email",
        "a@b.nl",
        "--name",
        "A",
        "--role",
        "consultant",
        "--organisation",
        "0664",
    ];
    let run = env.user_add(&args, "correct horse battery\n");
    run.success();
    assert!(run.stdout.contains("a@b.nl"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("correct horse battery"),
        "never echo the password"
    );

    env.user_add(&args, "correct horse battery\n")
        .fails_with("exists already");
    // Addresses are compared case-insensitively.
    let mut upper = args;
    upper[1] = "A@B.NL";
    env.user_add(&upper, "correct horse battery\n")
        .fails_with("exists already");
}

#[test]
fn user_add_explains_what_is_wrong() {
    let env = Env::new();
    let add = |email: &str, role: &str, organisation: Option<&str>, password: &str| {
        let mut args = vec!["--email", email, "--name", "Iemand", "--role", role];
        if let Some(o) = organisation {
            args.extend(["--organisation", o]);
        }
        env.user_add(&args, password)
    };
    let good = "correct horse battery\n";

    add("x@b.nl", "boss", Some("0664"), good)
        .fails_with("boss")
        .fails_with(
            "admin, consultant, professional, team_lead, analyst, resident, contract_manager or trusted_person",
        );
    add("x@b.nl", "consultant", Some("0664"), "short\n").fails_with("at least 8 characters");
    add("x@b.nl", "consultant", Some("9999"), good)
        .fails_with("9999 is not a known municipality code");
    add("x@b.nl", "consultant", None, good).fails_with("a consultant needs a municipality");
    add("x@b.nl", "professional", None, good).fails_with("a professional needs a provider");
    add("x@b.nl", "professional", Some("75751001"), good)
        .fails_with("no provider with AGB code 75751001");
    add("x@b.nl", "team_lead", Some("team:42"), good).fails_with("there is no team 42");
    add("x@b.nl", "analyst", Some("region:Atlantis"), good).fails_with("no region");
    add("x@b.nl", "resident", Some("bsn:111222333"), good).fails_with("no resident with that BSN");
    add("x@b.nl", "resident", Some("bsn:123456789"), good).fails_with("bsn");
    add("x@b.nl", "consultant", Some("06"), good).fails_with("--organisation");
    add("not-an-address", "admin", None, good).fails_with("--email");
    add("x@b.nl", "admin", None, "").fails_with("no password on standard input");

    // None of that created the account.
    add("x@b.nl", "consultant", Some("0664"), good).success();

    // With providers imported, a professional can be added.
    env.with_providers();
    add("p@b.nl", "professional", Some("75751001"), good).success();
    add("admin@b.nl", "admin", None, good).success();
}

#[test]
fn user_add_creates_a_contract_manager_for_a_municipality() {
    let env = Env::new();
    let add = |email: &str, organisation: Option<&str>| {
        let mut args = vec![
            "--email",
            email,
            "--name",
            "C. Manager",
            "--role",
            "contract_manager",
        ];
        if let Some(o) = organisation {
            args.extend(["--organisation", o]);
        }
        env.user_add(&args, "correct horse battery\n")
    };
    add("cm@goes.nl", None).fails_with("a contract manager needs a municipality");
    add("cm@goes.nl", Some("region:Atlantis")).fails_with("no region");
    let run = add("cm@goes.nl", Some("0664"));
    run.success();
    assert!(
        run.stdout
            .contains("created contract_manager account cm@goes.nl"),
        "{}",
        run.stdout
    );
    add("cm@goes.nl", Some("0664")).fails_with("exists already");
}

// ---------------------------------------------------------------------------
// Imports
// ---------------------------------------------------------------------------

#[test]
fn importing_providers_twice_creates_no_duplicates() {
    let env = Env::new();
    let file = env.write("providers.csv", PROVIDERS);
    let first = env.import("providers", &file);
    first.success();
    assert!(
        first.stdout.contains("2 created, 0 updated, 0 unchanged"),
        "{}",
        first.stdout
    );
    let second = env.import("providers", &file);
    second.success();
    assert!(
        second.stdout.contains("0 created, 0 updated, 2 unchanged"),
        "{}",
        second.stdout
    );
    // A new name for a known AGB code is an update.
    let renamed = env.write(
        "renamed.csv",
        "agb_code,name\n75751001,Zeeuwse Zorgcoöperatie\n75752002,Scheldekracht Zorg\n",
    );
    let third = env.import("providers", &renamed);
    third.success();
    assert!(
        third.stdout.contains("0 created, 1 updated, 1 unchanged"),
        "{}",
        third.stdout
    );
}

#[test]
fn a_providers_file_exported_from_excel_imports() {
    // Byte-order mark, CRLF line endings and a header in capitals.
    let env = Env::new();
    let file = env.write(
        "excel.csv",
        "\u{feff}AGB_CODE,Name\r\n75751001,Zeeuwse Zorgcoöperatie\r\n75752002,Stichting Scheldekracht\r\n",
    );
    let run = env.import("providers", &file);
    run.success();
    assert!(run.stdout.contains("2 created"), "{}", run.stdout);
}

#[test]
fn a_bad_providers_file_is_rejected_whole() {
    let env = Env::new();
    let file = env.write(
        "providers.csv",
        "agb_code,name\n75751001,Goed\n1234,Te kort\n75752002,\n75751001,Dubbel\n",
    );
    let run = env.import("providers", &file);
    run.fails_with("line 3: agb_code:")
        .fails_with("line 4: name: is required")
        .fails_with("line 5: agb_code: 75751001 appears on line 2 too")
        .fails_with("nothing was imported");
    // The good line was not written either.
    env.user_add(
        &[
            "--email",
            "p@b.nl",
            "--name",
            "P",
            "--role",
            "professional",
            "--organisation",
            "75751001",
        ],
        "correct horse battery\n",
    )
    .fails_with("no provider with AGB code 75751001");

    let missing = env.write("missing.csv", "agb,name\n75751001,X\n");
    env.import("providers", &missing)
        .fails_with("line 1: header: missing column(s) agb_code");
    env.import("providers", &env.path("nope.csv"))
        .fails_with("cannot read");
}

#[test]
fn importing_residents_twice_creates_no_duplicates() {
    let env = Env::new();
    let file = env.write(
        "residents.csv",
        "bsn,birth_date,family_name,prefix,given_names,municipality_code\n\
         111222333,1980-01-02,Vries,de,Jan Pieter,0664\n\
         999996708,1975-05-05,Bakker,,Piet,0654\n",
    );
    let first = env.import("residents", &file);
    first.success();
    assert!(first.stdout.contains("2 created"), "{}", first.stdout);
    let second = env.import("residents", &file);
    second.success();
    assert!(
        second.stdout.contains("0 created, 2 updated"),
        "{}",
        second.stdout
    );

    let bad = env.write(
        "bad.csv",
        "bsn,birth_date,family_name,prefix,given_names,municipality_code\n\
         999998620,1980-01-02,Vries,de,Jan,0664\n\
         999996630,1980-02-30,Visser,,Anna,0664\n\
         612890053,1980-01-02,Smit,,Ali,9999\n",
    );
    env.import("residents", &bad)
        .fails_with("line 2: bsn:")
        .fails_with("line 3: birth_date:");
}

/// One good line and one of each kind of problem; the header is line 1. All
/// seven problems are reported in one run.
fn mixed_indications() -> String {
    indications_file(&[
        // 2: good
        "111222333,1980-01-02,Jansen,Jan,0664,WVL,75751001,2025-01-10,2025-02-01,,",
        // 3: a BSN that fails the eleven check
        "999998620,1981-02-03,Bakker,Piet,0664,WVL,75751001,2025-01-10,2025-02-01,,",
        // 4: a date that does not exist
        "999996708,1975-05-05,Visser,Anna,0664,WVL,75751001,2025-01-10,2025-02-30,,",
        // 5: an unknown product
        "999996630,1990-07-07,Smit,Ali,0664,XYZ,75751001,2025-01-10,2025-02-01,,",
        // 6: an unknown municipality
        "612890053,1988-08-08,Mulder,Els,9999,WVL,75751001,2025-01-10,2025-02-01,,",
        // 7: an unknown provider
        "211551557,1960-01-01,Vos,Tom,0664,WVL,12345678,2025-01-10,2025-02-01,,",
        // 8: individual support without the planned scale-down moment
        "999996708,1975-05-05,Visser,Anna,0654,BT,75751001,2025-01-10,2025-02-01,2025-12-31,",
        // 9: a waakvlam that ends before it starts (how long one may last
        // is the product's rule per region, which this installation has not set)
        "999996630,1990-07-07,Smit,Ali,0664,WVL,75751001,2025-01-10,2025-02-01,2025-01-20,",
    ])
}

#[test]
fn a_bad_indications_file_reports_every_problem_and_writes_nothing() {
    let env = Env::new();
    env.with_providers();
    let file = env.write("indications.csv", &mixed_indications());
    let run = env.import("indications", &file);
    run.fails_with("line 3: bsn:")
        .fails_with("line 4: start_date:")
        .fails_with("line 5: product_code: unknown product XYZ")
        .fails_with("line 6: municipality_code: unknown municipality 9999")
        .fails_with("line 7: provider_agb: unknown provider 12345678")
        .fails_with("line 8: planned_scale_down_date:")
        .fails_with("line 9: end_date:")
        .fails_with("nothing was imported");
    assert!(!run.stderr.contains("line 2:"), "{}", run.stderr);
    assert_eq!(env.total(2025), 0);
}

#[test]
fn format_problems_in_an_indications_file_are_reported_by_line() {
    let env = Env::new();
    env.with_providers();
    let file = env.write("indications.csv", &mixed_indications());
    let run = env.import("indications", &file);
    run.fails_with("line 3: bsn: fails the 11-check")
        .fails_with("line 4: start_date: \"2025-02-30\" is not a date")
        .fails_with("rejected: 7 problem(s); nothing was imported");
    assert!(!run.stderr.contains("line 2:"), "{}", run.stderr);
    assert_eq!(env.total(2025), 0);

    // A line with a missing field is named too.
    let short = env.write(
        "short.csv",
        &indications_file(&[
            "111222333,1980-01-02,Jansen,Jan,0664,WVL,75751001,2025-01-10,2025-02-01,,",
            "999996708,1975-05-05,Visser,Anna,0664,WVL,75751001,2025-01-10,2025-02-01",
        ]),
    );
    env.import("indications", &short)
        .fails_with("line 3: line: has 9 fields, expected 11");
    assert_eq!(env.total(2025), 0);
}

#[test]
fn database_problems_in_an_indications_file_are_reported_by_line() {
    let env = Env::new();
    env.with_providers();
    // The mixed file without its format problems (lines 3 and 4).
    let content = mixed_indications();
    let lines: Vec<&str> = content
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 2 && *i != 3)
        .map(|(_, l)| l)
        .collect();
    let file = env.write("indications.csv", &(lines.join("\n") + "\n"));
    let run = env.import("indications", &file);
    run.fails_with("line 3: product_code: unknown product XYZ")
        .fails_with("line 4: municipality_code: unknown municipality 9999")
        .fails_with("line 5: provider_agb: unknown provider 12345678 (import providers first)")
        .fails_with("line 6: planned_scale_down_date: required")
        .fails_with("line 7: end_date: must not be before the start date")
        .fails_with("rejected: 5 problem(s); nothing was imported");
    assert!(!run.stderr.contains("line 2:"), "{}", run.stderr);
    // The good line, and the resident it would have created, were rolled back.
    assert_eq!(env.total(2025), 0);
    env.user_add(
        &[
            "--email",
            "r@b.nl",
            "--name",
            "Jan",
            "--role",
            "resident",
            "--organisation",
            "bsn:111222333",
        ],
        "correct horse battery\n",
    )
    .fails_with("no resident with that BSN");
}

#[test]
fn indications_need_their_providers_first() {
    let env = Env::new();
    let file = env.write(
        "indications.csv",
        &indications_file(&[
            "111222333,1980-01-02,Jansen,Jan,0664,WVL,75751001,2025-01-10,2025-02-01,,",
        ]),
    );
    env.import("indications", &file)
        .fails_with("line 2: provider_agb: unknown provider 75751001 (import providers first)");
    env.with_providers();
    env.import("indications", &file).success();
    assert_eq!(env.total(2025), 1);
}

/// Five indications: four issued in 2025 (Goes 3, Borsele 1), one in 2024.
fn good_indications() -> String {
    indications_file(&[
        "111222333,1980-01-02,Jansen,Jan,0664,WVL,75751001,2025-01-10,2025-02-01,,",
        "999996708,1975-05-05,Bakker,Piet,0664,BT,75751001,2025-03-01,2025-03-15,2025-12-31,2025-09-01",
        "999996630,1990-07-07,Visser,Anna,0654,BTS,75752002,2025-04-01,2025-04-15,,2025-10-01",
        "612890053,1988-08-08,Smit,Ali,0654,WVL,75752002,2024-12-20,2025-01-06,2025-12-31,",
        "211551557,1960-01-01,Mulder,Els,0664,WVL,75751001,2025-06-01,2025-06-15,,",
    ])
}

#[test]
fn a_good_indications_file_imports_once() {
    let env = Env::new();
    env.with_providers();
    let file = env.write("indications.csv", &good_indications());
    let first = env.import("indications", &file);
    first.success();
    assert!(
        first.stdout.contains("5 created, 0 updated, 0 unchanged"),
        "{}",
        first.stdout
    );
    assert_eq!(env.total(2025), 4);
    assert_eq!(env.total(2024), 1);

    let second = env.import("indications", &file);
    second.success();
    assert!(
        second.stdout.contains("0 created, 0 updated, 5 unchanged"),
        "{}",
        second.stdout
    );
    assert_eq!(env.total(2025), 4);
    assert_eq!(env.total(2024), 1);

    // The same indication twice in one file is a problem of the file.
    let twice = env.write(
        "twice.csv",
        &indications_file(&[
            "999996708,1975-05-05,Bakker,Piet,0664,WVL,75751001,2026-01-10,2026-02-01,,",
            "999996708,1975-05-05,Bakker,Piet,0664,WVL,75751001,2026-01-12,2026-02-01,,",
        ]),
    );
    env.import("indications", &twice)
        .fails_with("line 3: start_date: the same indication appears on line 2 too");
    // A known BSN with another birth date is a typo somewhere.
    let typo = env.write(
        "typo.csv",
        &indications_file(&[
            "999996708,1975-06-05,Bakker,Piet,0664,WVL,75751001,2026-01-10,2026-02-01,,",
        ]),
    );
    env.import("indications", &typo)
        .fails_with("line 2: birth_date: differs");
    assert_eq!(env.total(2026), 0);
}

// ---------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------

#[test]
fn the_indications_report_in_every_format() {
    let env = Env::new();
    env.with_providers();
    let file = env.write("indications.csv", &good_indications());
    env.import("indications", &file).success();
    let report = |extra: &[&str]| {
        let mut args = vec!["report", "indications", "--year", "2025"];
        args.extend(extra);
        env.db(&args)
    };

    let json = report(&["--format", "json"]);
    json.success();
    assert_eq!(
        json.stdout.trim(),
        r#"{"year":2025,"product":null,"rows":[{"municipality_code":"0654","municipality":"Borsele","count":1},{"municipality_code":"0664","municipality":"Goes","count":3}],"total":4}"#
    );

    let csv = report(&["--format", "csv"]);
    csv.success();
    assert_eq!(
        csv.stdout,
        "municipality_code,municipality,count\n0654,Borsele,1\n0664,Goes,3\n,Totaal,4\n"
    );

    let table = report(&["--format", "table"]);
    table.success();
    let total_line = table
        .stdout
        .lines()
        .find(|l| l.contains("Totaal"))
        .unwrap_or_else(|| panic!("no Totaal line:\n{}", table.stdout));
    assert_eq!(
        total_line.split_whitespace().collect::<Vec<_>>(),
        ["Totaal", "4"]
    );
    assert!(table.stdout.contains("Borsele"));
    // Table is the default.
    assert_eq!(report(&[]).stdout, table.stdout);

    let wvl = report(&["--product", "WVL", "--format", "json"]);
    wvl.success();
    assert_eq!(
        wvl.stdout.trim(),
        r#"{"year":2025,"product":"WVL","rows":[{"municipality_code":"0664","municipality":"Goes","count":2}],"total":2}"#
    );
    // Product codes are not case-sensitive for the operator.
    let bt = report(&["--product", "bt", "--format", "csv"]);
    bt.success();
    assert_eq!(
        bt.stdout,
        "municipality_code,municipality,count\n0664,Goes,1\n,Totaal,1\n"
    );

    let borsele = report(&["--municipality", "0654", "--format", "json"]);
    borsele.success();
    assert_eq!(
        borsele.stdout.trim(),
        r#"{"year":2025,"product":null,"rows":[{"municipality_code":"0654","municipality":"Borsele","count":1}],"total":1}"#
    );

    report(&["--product", "NOPE"]).fails_with("--product: unknown product code NOPE");
    report(&["--municipality", "9999"]).fails_with("unknown municipality code 9999");
    report(&["--municipality", "Goes"]).fails_with("--municipality");
    report(&["--format", "xml"]).fails_with("xml");
    env.db(&["report", "indications"]).fails_with("--year");

    // A year without indications is an empty report, not an error.
    let empty = env.db(&[
        "report",
        "indications",
        "--year",
        "2019",
        "--format",
        "json",
    ]);
    empty.success();
    assert_eq!(
        empty.stdout.trim(),
        r#"{"year":2019,"product":null,"rows":[],"total":0}"#
    );
}

// ---------------------------------------------------------------------------
// The demo
// ---------------------------------------------------------------------------

/// Kills the child (a process this test started) when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn the_demo_seeds_prints_the_logins_and_serves() {
    let env = Env::new();
    let url = format!("sqlite://{}", env.path("d.db").display());
    let mut child = env
        .command(&["demo", "--database-url", &url, "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut printed = Vec::new();
    let url_line = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains("running at") => break line,
            Ok(line) => printed.push(line),
            Err(e) => panic!(
                "no \"running at\" within 180 s ({e}); printed:\n{}",
                printed.join("\n")
            ),
        }
    };
    let output = printed.join("\n");
    for role in [
        "admin",
        "consultant",
        "professional",
        "team_lead",
        "analyst",
        "resident",
    ] {
        assert!(
            output.contains(&format!("{role}@demo.waakvlam.nl")),
            "{role} login missing:\n{output}"
        );
    }
    assert!(
        output.contains("waakvlam-demo"),
        "the password is shown:\n{output}"
    );
    let addr = url_line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {url_line:?}"))
        .to_owned();
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{addr}"
    );

    let response = http_get(&addr, "/healthz");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\r\n\r\nok waakvlam "), "{response}");
    let login = http_get(&addr, "/login");
    assert!(login.starts_with("HTTP/1.1 200"), "{login}");
    assert!(login.contains("waakvlam_login_csrf="));
    drop(running);

    // Started again on a port that is taken: refused before the database is
    // touched, with the port named.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().to_string();
    let mut child = env
        .command(&["demo", "--database-url", &url, "--addr", &port])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("demo on a taken port did not stop");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let run = Run::from(child.wait_with_output().unwrap());
    run.fails_with(&format!("cannot listen on {port}"));
    assert!(!run.stdout.contains("Filling"), "{}", run.stdout);
    drop(taken);
}

// ---------------------------------------------------------------------------
// Monitoring reports: flows, costs, pulse
// ---------------------------------------------------------------------------

#[test]
fn the_monitoring_reports_share_one_computation() {
    let env = Env::new();
    env.with_providers();
    let file = env.write("indications.csv", &good_indications());
    env.import("indications", &file).success();
    let report = |what: &str, extra: &[&str]| {
        let mut args = vec!["report", what, "--year", "2025"];
        args.extend(extra);
        env.db(&args)
    };

    // Imported indications have no pathway links: BT ended (2025-12-31) without
    // a successor, one waakvlam ended without an outcome.
    let flows = report("flows", &["--format", "csv"]);
    flows.success();
    assert_eq!(
        flows.stdout,
        "flow,count,share_pct\n\
         heavy_ended,1,\n\
         scaled_down,0,0.0\n\
         scaled_down_from_intensive,0,0.0\n\
         scaled_down_from_individual,0,0.0\n\
         heavy_to_heavy,0,0.0\n\
         heavy_ended_without_successor,1,100.0\n\
         waakvlam_ended,1,\n\
         ended_independent,0,0.0\n\
         scaled_up,0,0.0\n\
         ended_other,1,100.0\n"
    );
    let planning = report("flows", &["--format", "csv", "--table", "planning"]);
    planning.success();
    assert!(
        planning.stdout.contains("heavy_running,2,\n"),
        "{}",
        planning.stdout
    );
    assert!(
        planning.stdout.contains("with_planned_moment,2,100.0\n"),
        "{}",
        planning.stdout
    );
    assert!(
        planning.stdout.contains("overdue,1,\n"),
        "{}",
        planning.stdout
    );

    // Masked for publication: small counts hidden, shares of them too.
    let masked = report("flows", &["--format", "json", "--mask"]);
    masked.success();
    let json: serde_json::Value = serde_json::from_str(masked.stdout.trim()).unwrap();
    assert_eq!(json["masked"], 5);
    let rows = &json["tables"][0]["rows"];
    assert_eq!(rows[0]["flow"], "heavy_ended");
    assert_eq!(rows[0]["count"], "<5");
    assert_eq!(rows[5]["share_pct"], "x");
    assert_eq!(rows[1]["count"], 0);
    // flows, flow_times, results (the result assessed at the end), planning, inventory.
    assert_eq!(json["tables"].as_array().unwrap().len(), 5);
    assert_eq!(json["tables"][2]["table"], "results");
    // The one ended waakvlam was not assessed: a small count, hidden.
    let results = json["tables"][2]["rows"].as_array().unwrap();
    assert_eq!(results.last().unwrap()["total"], "<5");

    // Without tariffs, costs are listed apart and come to nothing.
    let costs = report("costs", &["--format", "csv"]);
    costs.success();
    assert_eq!(
        costs.stdout,
        "product,funding_variant,indications,spend_eur,own_contributions_eur\n\
         BT,no_tariff,1,0.00,0.00\n\
         BTS,no_tariff,1,0.00,0.00\n\
         WVL,no_tariff,3,0.00,0.00\n\
         total,,5,0.00,0.00\n"
    );
    // Masked, the total stays but no row's count can be worked out from it,
    // nor from a row's spend; the table output says what the marks mean.
    let masked = report("costs", &["--format", "csv", "--mask"]);
    masked.success();
    assert_eq!(
        masked.stdout,
        "product,funding_variant,indications,spend_eur,own_contributions_eur\n\
         BT,no_tariff,<5,x,x\n\
         BTS,no_tariff,<5,x,x\n\
         WVL,no_tariff,<5,x,x\n\
         total,,5,0.00,0.00\n"
    );
    let text = report("costs", &["--mask"]);
    text.success();
    assert!(
        text.stdout
            .contains("Kleine aantallen (minder dan 5) staan als '<5'"),
        "{}",
        text.stdout
    );
    let avoided = report(
        "costs",
        &[
            "--table",
            "avoided",
            "--months-avoided",
            "9",
            "--format",
            "csv",
        ],
    );
    avoided.success();
    assert!(
        avoided.stdout.contains("assumption_months_avoided,9\n"),
        "{}",
        avoided.stdout
    );

    let pulse = report("pulse", &["--municipality", "0664"]);
    pulse.success();
    let residents = pulse
        .stdout
        .lines()
        .find(|l| l.starts_with("residents "))
        .unwrap_or_else(|| panic!("no residents line:\n{}", pulse.stdout));
    assert_eq!(
        residents.split_whitespace().collect::<Vec<_>>(),
        ["residents", "2"]
    );
    assert!(pulse.stdout.contains("pulse_months"), "{}", pulse.stdout);
    let by_provider = report("pulse", &["--provider", "75752002", "--format", "csv"]);
    by_provider.success();
    assert!(
        by_provider.stdout.contains("residents,1,\n"),
        "{}",
        by_provider.stdout
    );

    env.db(&["report", "flows"])
        .fails_with("give --year, or --from and --to");
    report("flows", &["--table", "costs"]).fails_with("--table");
    report("pulse", &["--product", "XYZ"]).fails_with("--product: unknown product code XYZ");
    report("pulse", &["--region", "Nergens"]).fails_with("--region: no region named");
    report("costs", &["--municipality", "12"]).fails_with("--municipality");
    env.db(&[
        "report",
        "flows",
        "--from",
        "2025-06-01",
        "--to",
        "2025-01-01",
    ])
    .fails_with("after it ends");
}

// ---------------------------------------------------------------------------
// iWmo
// ---------------------------------------------------------------------------

/// A WMO301 from Goes (0664) to Zeeuwse Zorgcoöperatie (75751001) for Anna Visser, as another municipality
/// system writes it.
const WMO301: &str = include_str!("data/iwmo/wmo301-goes-anna-visser.xml");

#[test]
fn iwmo_import_applies_a_wmo301_once_refuses_a_bad_one_and_export_hands_the_retours_over() {
    let env = Env::new();
    env.db(&["migrate"]).success();
    env.with_providers();
    let good = env.write("in1.xml", WMO301);
    // Fails the XSD: a letter in the BSN, under its own identification.
    let bad = env.write(
        "bad.xml",
        &WMO301
            .replace("<Bsn>999996708</Bsn>", "<Bsn>99999670X</Bsn>")
            .replace("GEM-77", "GEM-78"),
    );
    let run = env.db(&[
        "iwmo",
        "import",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    run.success();
    assert!(
        run.stdout.contains("GEM-77 from 0664: applied"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("GEM-78 from 0664: rejected with retour code(s) 0001"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("'99999670X' is not accepted"),
        "the XSD's complaint is shown:\n{}",
        run.stdout
    );
    // The same messages again change nothing, the refused one included.
    let again = env.db(&[
        "iwmo",
        "import",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    again.success();
    assert_eq!(
        again.stdout.matches("read before; nothing changed").count(),
        2,
        "{}",
        again.stdout
    );
    // A file that is no iWmo message at all: non-zero, naming the file and why.
    let junk = env.write("junk.xml", "<factuur/>");
    env.db(&["iwmo", "import", junk.to_str().unwrap()])
        .fails_with("junk.xml: not an iWmo 3.2 message: the root element is factuur");

    // The export writes the two retours (WMO302) and marks them sent; a second export writes nothing.
    let out = env.path("out");
    let export = env.db(&["iwmo", "export", "--out", out.to_str().unwrap()]);
    export.success();
    assert!(
        export.stdout.contains("2 message(s) written"),
        "{}",
        export.stdout
    );
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("WMO302_WVL") && f.ends_with(".xml")),
        "{files:?}"
    );
    let retours: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(out.join(f)).unwrap())
        .collect();
    assert!(
        retours
            .iter()
            .any(|x| x.contains("<RetourCode>0200</RetourCode>") && x.contains("<Client>"))
    );
    assert!(
        retours
            .iter()
            .any(|x| x.contains("<RetourCode>0001</RetourCode>") && !x.contains("<Client>"))
    );
    let second = env.db(&["iwmo", "export", "--out", out.to_str().unwrap()]);
    second.success();
    assert!(
        second.stdout.contains("0 message(s) written"),
        "{}",
        second.stdout
    );
}

#[test]
fn declare_refuses_a_period_that_cannot_be_declared_and_says_why() {
    let env = Env::new();
    env.db(&["migrate"]).success();
    env.db(&["declare", "--period", "november"])
        .fails_with("--period: \"november\" is not a declaration period: give a month as 2026-11");
    env.db(&["declare", "--period", "2026-11-02/2026-11-30"])
        .fails_with("a four-week period runs 28 days");
    env.db(&["declare", "--period", "2999-01"]).fails_with(
        "the period runs until 2999-01-31; what was delivered is declared after its last day",
    );
    env.with_providers();
    env.db(&["declare", "--period", "2026-01"])
        .fails_with("no provider works in this installation (none has a team)");
}

// ---------------------------------------------------------------------------
// Operations: version, health, metrics, backup and restore
// ---------------------------------------------------------------------------

#[test]
fn version_is_printed() {
    let env = Env::new();
    let run = env.run(&["--version"]);
    run.success();
    assert!(
        run.stdout
            .starts_with(&format!("waakvlam {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        run.stdout
    );
}

/// Starts `serve` with `args` and waits until it printed the lines that
/// contain each of `wanted`; returns them in that order.
fn start(env: &Env, args: &[&str], wanted: &[&str]) -> (Running, Vec<String>) {
    let mut child = env
        .command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut found: Vec<Option<String>> = vec![None; wanted.len()];
    while found.iter().any(Option::is_none) {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("the server printed no {wanted:?} ({e})"));
        for (i, w) in wanted.iter().enumerate() {
            if line.contains(w) {
                found[i] = Some(line.clone());
            }
        }
    }
    (running, found.into_iter().map(Option::unwrap).collect())
}

/// The `host:port` of the first `http://` URL in `line`.
fn address_in(line: &str) -> String {
    line.split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned()
}

#[test]
fn serve_answers_health_readiness_and_metrics_on_their_own_address_and_backs_up_while_serving() {
    let env = Env::new();
    env.with_providers();
    let file = env.write("indications.csv", &good_indications());
    env.import("indications", &file).success();
    let (running, lines) = start(
        &env,
        &[
            "serve",
            "--database-url",
            &env.url,
            "--addr",
            "127.0.0.1:0",
            "--metrics-addr",
            "127.0.0.1:0",
        ],
        &["running at", "Metrics at"],
    );
    let public = address_in(&lines[0]);
    let private = address_in(&lines[1]);
    assert_ne!(public, private);

    let health = http_get(&public, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(
        health.ends_with(&format!("ok waakvlam {}", env!("CARGO_PKG_VERSION"))),
        "{health}"
    );
    let ready = http_get(&public, "/readyz");
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    assert!(ready.ends_with("ready"), "{ready}");
    http_get(&public, "/login?next=%2Fclients%2F999996708");
    http_get(&public, "/clients/17");

    // Never on the public address.
    let hidden = http_get(&public, "/metrics");
    assert!(hidden.starts_with("HTTP/1.1 404"), "{hidden}");
    let metrics = http_get(&private, "/metrics");
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    for needle in [
        "waakvlam_build_info{version=",
        r#"waakvlam_http_request_duration_seconds_count{route="/healthz",method="GET",status="200"} 1"#,
        r#"waakvlam_http_request_duration_seconds_bucket{route="/readyz",method="GET",status="200",le="+Inf"} 1"#,
        r#"route="/login",method="GET",status="200""#,
        r#"route="/clients/{id}",method="GET",status="303""#,
        r#"route="unmatched",method="GET",status="404""#,
        "# TYPE waakvlam_access_log_write_duration_seconds histogram",
        r#"waakvlam_db_pool_connections{state="in_use"}"#,
        r#"waakvlam_db_pool_connections{state="idle"}"#,
        "waakvlam_db_pool_max_connections 8",
        r#"waakvlam_outbox_pending{outbox="notifications"} 0"#,
        r#"waakvlam_outbox_pending{outbox="iwmo"} 0"#,
        "waakvlam_database_up 1",
    ] {
        assert!(metrics.contains(needle), "{needle:?} missing:\n{metrics}");
    }
    // No query string, no id and no BSN in the figures.
    assert!(!metrics.contains("999996708") && !metrics.contains("next="));
    assert!(!metrics.contains("/clients/17"));

    // A backup while the server serves.
    let backup = env.path("while-serving.db");
    env.db(&["backup", "--out", backup.to_str().unwrap()])
        .success();
    // Not restored under the running server, even with --force.
    env.db(&["restore", "--from", backup.to_str().unwrap(), "--force"])
        .fails_with("is in use");
    drop(running);
    let restored = format!("sqlite://{}", env.path("restored.db").display());
    env.run(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--database-url",
        &restored,
    ])
    .success();
    env.run(&["audit", "verify", "--database-url", &restored])
        .success();
}

#[test]
fn a_backup_restores_to_the_same_data() {
    let env = Env::new();
    env.with_providers();
    let file = env.write("indications.csv", &good_indications());
    env.import("indications", &file).success();
    let report = env.report_json(2025);
    let head = env.db(&["audit", "head"]);
    head.success();

    let out = env.path("backup.db");
    let out_arg = out.to_str().unwrap();
    let made = env.db(&["backup", "--out", out_arg]);
    made.success();
    assert!(made.stdout.contains("backup.db"), "{}", made.stdout);
    // Never over an existing file.
    env.db(&["backup", "--out", out_arg])
        .fails_with("exists already");

    // Restored into a new place, it holds the same data and the same access
    // log (its chain intact, up to the same head).
    let restored_path = env.path("restored.db");
    let restored = format!("sqlite://{}", restored_path.display());
    let run = env.run(&["restore", "--from", out_arg, "--database-url", &restored]);
    run.success();
    assert!(run.stdout.contains("restored"), "{}", run.stdout);
    let again = env.run(&["audit", "head", "--database-url", &restored]);
    again.success();
    assert_eq!(again.stdout, head.stdout);
    let hash = head
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("head: "))
        .unwrap()
        .to_owned();
    env.run(&[
        "audit",
        "verify",
        "--head",
        &hash,
        "--database-url",
        &restored,
    ])
    .success();
    let copy = Env {
        dir: tempfile::tempdir().unwrap(),
        url: restored.clone(),
    };
    assert_eq!(copy.report_json(2025), report);

    // Not over an existing database without --force; with it, yes.
    env.run(&["restore", "--from", out_arg, "--database-url", &restored])
        .fails_with("--force");
    env.run(&[
        "restore",
        "--from",
        out_arg,
        "--database-url",
        &restored,
        "--force",
    ])
    .success();
    assert_eq!(copy.report_json(2025), report);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("restoring")), "{names:?}");

    // Only a Waakvlam database is restored.
    let text = env.write("notes.txt", "not a database");
    let other = format!("sqlite://{}", env.path("other.db").display());
    env.run(&[
        "restore",
        "--from",
        text.to_str().unwrap(),
        "--database-url",
        &other,
    ])
    .fails_with("is not a Waakvlam database");
    assert!(!env.path("other.db").exists());
    env.run(&[
        "restore",
        "--from",
        env.path("missing.db").to_str().unwrap(),
        "--database-url",
        &other,
    ])
    .fails_with("does not exist");

    // PostgreSQL has its own tools.
    env.run(&[
        "backup",
        "--out",
        env.path("pg.dump").to_str().unwrap(),
        "--database-url",
        "postgres://waakvlam@127.0.0.1:1/waakvlam",
    ])
    .fails_with("pg_dump");
    env.run(&[
        "restore",
        "--from",
        out_arg,
        "--database-url",
        "postgres://waakvlam@127.0.0.1:1/waakvlam",
    ])
    .fails_with("docs/OPERATIONS.md");
}
