//! Two `waakvlam serve` processes on one PostgreSQL database behave as one
//! (issue 15): they start together on an empty database and migrate it once,
//! a session begun on one is valid on the other, failed logins on both count
//! towards one limit, a notification in the outbox is mailed once although
//! both run the delivery worker, a periodic job runs once a round between
//! them, and the access log stays one hash chain.
//!
//! Needs PostgreSQL (`WAAKVLAM_TEST_POSTGRES_URL`; skipped without it unless
//! `WAAKVLAM_TEST_REQUIRE_POSTGRES` is set, as `.ci/run` does) and
//! `python3 -m aiosmtpd` (Debian's python3-aiosmtpd) as the mail server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use waakvlam_domain::notification::EventKind;
use waakvlam_store::jobs::Job;
use waakvlam_store::{AccountId, Actor, Store, notifications};
use waakvlam_testkit::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waakvlam");
const PASSWORD: &str = "een lang genoeg wachtwoord 42";

/// A process this test started, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn python() -> String {
    std::env::var("WAAKVLAM_TEST_PYTHON").unwrap_or_else(|_| {
        if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3".to_owned()
        } else {
            "python3".to_owned()
        }
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A loopback SMTP server keeping what it receives in `maildir` (as the
/// notification test does).
fn start_smtp(maildir: &Path) -> (Running, u16) {
    let port = free_port();
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start `{} -m aiosmtpd` (apt-get install python3-aiosmtpd): {e}",
                python()
            )
        });
    let mut server = Running(child);
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (server, port);
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("aiosmtpd exited: {status} (is python3-aiosmtpd installed?)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("aiosmtpd did not start on port {port}");
}

fn mails(maildir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect()
}

/// Starts `waakvlam serve` on a port the kernel picks; the address is read
/// from what it prints (see [`ready`]).
fn serve(url: &str, smtp_port: u16) -> (Running, mpsc::Receiver<String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--database-url", url, "--addr", "127.0.0.1:0"])
        .args(["--smtp-url", &format!("smtp://127.0.0.1:{smtp_port}")])
        // Both delivery workers poll every second, so they meet at the outbox.
        .args(["--notify-interval-secs", "1"])
        .env_remove("WAAKVLAM_DATABASE_URL")
        .env_remove("WAAKVLAM_ADDR")
        .env("WAAKVLAM_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Running(child), rx)
}

/// Waits for the "running at http://…/" line and returns its `host:port`.
fn address(rx: &mpsc::Receiver<String>) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("the server did not say where it runs ({e})"));
        if line.contains("running at") {
            return line
                .split("http://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap()
                .to_owned();
        }
    }
}

/// A response: status, headers (lower-case names) and body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    /// The value of a cookie the response sets.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(h, _)| h == "set-cookie")
            .find_map(|(_, v)| {
                let pair = v.split(';').next()?;
                let (n, value) = pair.split_once('=')?;
                (n.trim() == name).then(|| value.to_owned())
            })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(h, _)| h == name)
            .map(|(_, v)| v.as_str())
    }
}

fn request(addr: &str, method: &str, path: &str, cookies: &str, form: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookies.is_empty() {
        head.push_str(&format!("Cookie: {cookies}\r\n"));
    }
    if method == "POST" {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(form.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {raw:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_owned(),
    }
}

const LOGIN_CSRF: &str = "__Host-waakvlam_login_csrf";
const SESSION: &str = "__Host-waakvlam_session";

/// The login form's double-submit token (cookie and field are the same).
fn login_token(addr: &str) -> String {
    let page = request(addr, "GET", "/login", "", "");
    assert_eq!(page.status, 200, "{}", page.body);
    page.cookie(LOGIN_CSRF)
        .expect("the login page sets its token")
}

fn login(addr: &str, token: &str, email: &str, password: &str) -> Response {
    let form = format!(
        "email={}&password={}&csrf_token={token}",
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    request(
        addr,
        "POST",
        "/login",
        &format!("{LOGIN_CSRF}={token}"),
        &form,
    )
}

fn user_add(url: &str, email: &str) {
    let mut child = Command::new(BIN)
        .args([
            "user", "add", "--email", email, "--name", "Beheer", "--role", "admin",
        ])
        .args(["--database-url", url])
        .env_remove("WAAKVLAM_DATABASE_URL")
        .env("WAAKVLAM_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn number(store: &Store, sql: &str) -> i64 {
    let row = store
        .conn()
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_on_one_postgres_behave_as_one() {
    let started = Instant::now();
    // An empty database: the two servers migrate it.
    let Some(db) = TestDb::postgres_empty().await.unwrap() else {
        eprintln!("skipping the two-process test: it needs PostgreSQL");
        return;
    };
    let url = db.url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let maildir: PathBuf = dir.path().join("mail");
    let (_smtp, smtp_port) = start_smtp(&maildir);

    // Both start at the same moment.
    let (a_proc, a_out) = serve(&url, smtp_port);
    let (b_proc, b_out) = serve(&url, smtp_port);
    let (a, b) = (address(&a_out), address(&b_out));
    for addr in [&a, &b] {
        let ready = request(addr, "GET", "/readyz", "", "");
        assert_eq!(ready.status, 200, "{addr}: {}", ready.body);
    }

    // Migrated once: every migration this version knows, each once.
    let known = Store::migration_names().len() as i64;
    assert_eq!(
        number(&db.store, "SELECT count(*) FROM seaql_migrations").await,
        known
    );
    assert_eq!(
        number(
            &db.store,
            "SELECT count(DISTINCT version) FROM seaql_migrations"
        )
        .await,
        known
    );

    // A session begun on A is valid on B, with the same cookie.
    user_add(&url, "beheer@example.org");
    user_add(&url, "tweede@example.org");
    let token = login_token(&a);
    let logged_in = login(&a, &token, "beheer@example.org", PASSWORD);
    assert_eq!(logged_in.status, 303, "{}", logged_in.body);
    let session = logged_in.cookie(SESSION).expect("a session cookie");
    let cookie = format!("{SESSION}={session}");
    let on_b = request(&b, "GET", "/notifications", &cookie, "");
    assert_eq!(on_b.status, 200, "the session is valid on B: {}", on_b.body);
    let stranger = request(&b, "GET", "/notifications", "", "");
    assert_eq!(stranger.status, 303);
    assert!(stranger.header("location").unwrap().starts_with("/login"));

    // Failed logins on A and B count towards one limit: five wrong passwords
    // (three on A, two on B), then even the right one is refused for now.
    for (i, addr) in [&a, &b, &a, &b, &a].into_iter().enumerate() {
        let wrong = login(addr, &token, "tweede@example.org", &format!("fout {i}"));
        assert_eq!(wrong.status, 401, "attempt {i}: {}", wrong.body);
    }
    let locked = login(&b, &token, "tweede@example.org", PASSWORD);
    assert_eq!(locked.status, 429, "{}", locked.body);
    let locked = login(&a, &token, "tweede@example.org", PASSWORD);
    assert_eq!(locked.status, 429, "{}", locked.body);

    // Notifications in the outbox are mailed once, though both servers'
    // workers claim every second.
    let recipient = AccountId::new(
        number(
            &db.store,
            "SELECT id FROM account WHERE email = 'beheer@example.org'",
        )
        .await,
    );
    let system = Actor::system("two-process test");
    const SENT: usize = 12;
    db.store
        .write(&system, async |cx| {
            for i in 0..SENT {
                notifications::enqueue(
                    cx,
                    recipient,
                    EventKind::BellRung,
                    &format!("/clients/{i}"),
                )
                .await?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while number(
        &db.store,
        "SELECT count(*) FROM notification WHERE sent_at IS NOT NULL",
    )
    .await
        < SENT as i64
    {
        assert!(
            Instant::now() < deadline,
            "the notifications were not all sent"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Another two rounds of both workers: nothing goes out twice.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let received = mails(&maildir);
    assert_eq!(received.len(), SENT, "each notification mailed once");
    for i in 0..SENT {
        let link = format!("/clients/{i}\n");
        let with_link = received
            .iter()
            .filter(|m| {
                m.replace("=\r\n", "")
                    .replace("=\n", "")
                    .replace('\r', "")
                    .contains(&link)
            })
            .count();
        assert_eq!(with_link, 1, "the mail for {link:?}");
    }

    // A periodic job runs once a round between them: both ran their first
    // retention tick at start, one of them did the work.
    let runs = db.store.job_runs().await.unwrap();
    let retention = runs.iter().find(|(job, _, _)| *job == Job::Retention);
    assert_eq!(retention.map(|r| r.1), Some(1), "{runs:?}");

    // Both appended to the access log (logins on both); it is one chain.
    let logged = number(&db.store, "SELECT count(*) FROM access_log").await;
    assert!(logged >= 8, "{logged} entries");
    let verify = Command::new(BIN)
        .args(["audit", "verify", "--database-url", &url])
        .env("WAAKVLAM_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "audit verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );

    drop((a_proc, b_proc));
    db.cleanup().await.unwrap();
    eprintln!("two processes: {:.1} s", started.elapsed().as_secs_f64());
}
